"""Reviews: only the paying customer, once per order, within 30 days; the owner replies once;
the store's rating aggregate stays right (also under concurrent reviews on PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.factories import headers
from tests.life.support import (
    PEOPLES_SQUARE,
    THE_BUND,
    card_paid_order,
    cash_paid_order,
    discover,
    review,
    shop,
)
from tests.merchants.support import audit_of, events_of
from tests.payments.support import Payer, payer, signed_in_again


@pytest.fixture
def till(client: TestClient, db: Database, settings: Settings) -> Till:
    return shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆")


@pytest.fixture
def who(bank: Bank) -> Payer:
    return payer(bank, 200_000)


def _reply(client: TestClient, token: str, review_id: str, text: str = "谢谢光临") -> httpx.Response:
    return client.post(f"/v1/life/reviews/{review_id}/reply", json={"text": text}, headers=headers(token))


def test_the_paying_customer_reviews_once_and_the_store_rating_moves(
    client: TestClient, db: Database, till: Till, who: Payer
) -> None:
    order_id = card_paid_order(client, till, who)
    written = review(client, who.token, till.store_id, order_id, rating=4, text="面很筋道")
    assert written.status_code == 201, written.text
    assert (written.json()["rating"], written.json()["text"]) == (4, "面很筋道")
    again = review(client, who.token, till.store_id, order_id, rating=1)
    assert (again.status_code, again.json()["code"]) == (409, "already_reviewed")
    store = discover(client)[0]
    assert (store["rating"], store["rating_tenths"], store["review_count"]) == ("4.0", 40, 1)
    review_id = written.json()["id"]
    assert audit_of(db, review_id)[0][0] == "life.review_written"
    assert events_of(db, "life.review_written")[0]["order_id"] == order_id


def test_someone_else_cannot_review_the_order(client: TestClient, bank: Bank, till: Till, who: Payer) -> None:
    order_id = card_paid_order(client, till, who)
    stranger = bank.customer()
    response = review(client, stranger.token, till.store_id, order_id)
    assert (response.status_code, response.json()["code"]) == (403, "not_your_order")
    assert review(client, till.owner, till.store_id, order_id).json()["code"] == "not_your_order"


def test_unknown_orders_and_orders_of_another_store_are_404(
    client: TestClient, db: Database, settings: Settings, till: Till, who: Payer
) -> None:
    other = shop(client, db, settings, at=THE_BUND, name="外滩店")
    order_id = card_paid_order(client, other, who)
    response = review(client, who.token, till.store_id, order_id)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert review(client, who.token, till.store_id, "ord_missing").status_code == 404
    assert review(client, who.token, "sto_missing", order_id).status_code == 404


def test_a_cash_payment_names_nobody_so_it_cannot_be_reviewed(
    client: TestClient, till: Till, who: Payer
) -> None:
    order_id = cash_paid_order(client, till)
    assert review(client, who.token, till.store_id, order_id).json()["code"] == "not_your_order"


def test_reviews_close_30_days_after_payment(client: TestClient, bank: Bank, till: Till, who: Payer) -> None:
    late = card_paid_order(client, till, who)
    bank.advance(timedelta(days=30, minutes=1))
    again = signed_in_again(bank, who)
    response = review(client, again.token, till.store_id, late)
    assert (response.status_code, response.json()["code"]) == (422, "review_window_closed")


def test_a_review_on_the_30th_day_is_accepted(client: TestClient, bank: Bank, till: Till, who: Payer) -> None:
    order_id = card_paid_order(client, till, who)
    bank.advance(timedelta(days=29, hours=23))
    again = signed_in_again(bank, who)
    assert review(client, again.token, till.store_id, order_id).status_code == 201


def test_the_owner_replies_once_and_nobody_else_may(
    client: TestClient, db: Database, settings: Settings, till: Till, who: Payer
) -> None:
    review_id = review(client, who.token, till.store_id, card_paid_order(client, till, who)).json()["id"]
    other_owner = shop(client, db, settings, at=THE_BUND).owner
    assert _reply(client, other_owner, review_id).status_code == 404
    assert _reply(client, till.cashier, review_id).status_code == 403
    assert _reply(client, who.token, review_id).status_code == 404
    replied = client.post(
        f"/v1/life/reviews/{review_id}/reply", json={"text": "谢谢光临"}, headers=headers(till.owner)
    )
    assert replied.status_code == 200, replied.text
    assert replied.json()["reply"] == "谢谢光临"
    twice = client.post(
        f"/v1/life/reviews/{review_id}/reply", json={"text": "再谢"}, headers=headers(till.owner)
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "already_replied")
    assert [action for action, _ in audit_of(db, review_id)] == ["life.review_written", "life.review_replied"]
    missing = client.post(
        "/v1/life/reviews/rev_missing/reply", json={"text": "x"}, headers=headers(till.owner)
    )
    assert missing.status_code == 404


def test_reviews_are_listed_newest_first_a_page_at_a_time(client: TestClient, till: Till, who: Payer) -> None:
    ids = [
        review(client, who.token, till.store_id, card_paid_order(client, till, who), rating=n).json()["id"]
        for n in (1, 2, 3)
    ]
    first = client.get(f"/v1/life/stores/{till.store_id}/reviews", params={"limit": 2}, headers=headers())
    assert first.status_code == 200, first.text
    assert [r["id"] for r in first.json()["data"]] == [ids[2], ids[1]] and first.json()["has_more"]
    rest = client.get(
        f"/v1/life/stores/{till.store_id}/reviews",
        params={"limit": 2, "starting_after": ids[1]},
        headers=headers(),
    )
    assert [r["id"] for r in rest.json()["data"]] == [ids[0]] and not rest.json()["has_more"]
    assert discover(client)[0]["rating"] == "2.0"


def test_a_review_needs_a_sign_in_and_a_rating_from_1_to_5(
    client: TestClient, till: Till, who: Payer
) -> None:
    order_id = card_paid_order(client, till, who)
    assert review(client, who.token, till.store_id, order_id, rating=6).status_code == 422
    assert review(client, who.token, till.store_id, order_id, rating=0).status_code == 422
    anonymous = client.post(
        f"/v1/life/stores/{till.store_id}/reviews",
        json={"order_id": order_id, "rating": 5},
        headers=headers(),
    )
    assert anonymous.status_code == 401


@pytest.mark.postgres_only
def test_concurrent_reviews_keep_the_aggregate_and_one_review_per_order(
    client: TestClient, bank: Bank, till: Till, who: Payer
) -> None:
    orders = [card_paid_order(client, till, who) for _ in range(4)]
    targets = [*orders, orders[0], orders[0]]  # the first order three times: only one may win
    barrier = threading.Barrier(len(targets))
    codes: list[int] = []

    def write(order_id: str) -> None:
        barrier.wait()
        codes.append(review(client, who.token, till.store_id, order_id, rating=4).status_code)

    threads = [threading.Thread(target=write, args=(order_id,)) for order_id in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [201, 201, 201, 201, 409, 409]
    store = discover(client)[0]
    assert (store["review_count"], store["rating"]) == (4, "4.0")
