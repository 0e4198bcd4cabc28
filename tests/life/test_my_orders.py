"""The customer's own orders (GET /v1/life/orders): every payment from their accounts, newest first,
with the store by name; "待评价" holds the paid orders not reviewed yet and still within 30 days, once
each; someone else's payment is 404; cash names nobody and is nobody's order."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.factories import headers
from tests.life.support import PEOPLES_SQUARE, THE_BUND, card_paid_order, cash_paid_order, review, shop
from tests.payments.support import Payer, payer, signed_in_again


@pytest.fixture
def noodles(client: TestClient, db: Database, settings: Settings) -> Till:
    return shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆")


@pytest.fixture
def who(bank: Bank) -> Payer:
    return payer(bank, 200_000)


def _orders(client: TestClient, token: str, **query: Any) -> list[dict[str, Any]]:
    answer = client.get("/v1/life/orders", params=query, headers=headers(token))
    assert answer.status_code == 200, answer.text
    lines: list[dict[str, Any]] = answer.json()
    return lines


def test_orders_name_their_store_newest_first_and_to_review_empties_as_they_are_reviewed(
    client: TestClient, db: Database, settings: Settings, bank: Bank, noodles: Till, who: Payer
) -> None:
    bund = shop(client, db, settings, at=THE_BUND, name="外滩咖啡")
    first = card_paid_order(client, noodles, who, amount=2_200)
    bank.advance(timedelta(minutes=5))
    second = card_paid_order(client, bund, who, amount=1_850)
    cash_paid_order(client, noodles)  # cash names nobody: not this customer's order
    lines = _orders(client, who.token)
    assert [(o["order_id"], o["store_name"], o["amount"], o["review"]) for o in lines] == [
        (second, "外滩咖啡", 1_850, "to_review"),
        (first, "老上海面馆", 2_200, "to_review"),
    ]
    assert lines[0]["method"] == "card" and lines[0]["account_id"] == who.account_id
    assert review(client, who.token, noodles.store_id, first, rating=4).status_code == 201
    waiting = _orders(client, who.token, to_review="true")
    assert [o["order_id"] for o in waiting] == [second]
    reviewed = next(o for o in _orders(client, who.token) if o["order_id"] == first)
    assert (reviewed["review"], reviewed["rating"]) == ("reviewed", 4)


def test_an_order_past_the_review_window_leaves_to_review(
    client: TestClient, bank: Bank, noodles: Till, who: Payer
) -> None:
    card_paid_order(client, noodles, who)
    bank.advance(timedelta(days=29, hours=23))
    again = signed_in_again(bank, who)
    assert [o["review"] for o in _orders(client, again.token, to_review="true")] == ["to_review"]
    bank.advance(timedelta(hours=1, minutes=1))
    later = signed_in_again(bank, again)
    assert _orders(client, later.token, to_review="true") == []
    assert [o["review"] for o in _orders(client, later.token)] == ["closed"]


def test_one_payment_is_its_payers_alone(client: TestClient, bank: Bank, noodles: Till, who: Payer) -> None:
    card_paid_order(client, noodles, who)
    payment_id = _orders(client, who.token)[0]["payment_id"]
    mine = client.get(f"/v1/life/orders/{payment_id}", headers=headers(who.token))
    assert (mine.status_code, mine.json()["store_name"], mine.json()["amount"]) == (200, "老上海面馆", 8_800)
    stranger = bank.customer()
    theirs = client.get(f"/v1/life/orders/{payment_id}", headers=headers(stranger.token))
    assert (theirs.status_code, theirs.json()["code"]) == (404, "not_found")
    assert _orders(client, stranger.token) == []
    # The store's owner (a customer of the bank too) sees the sale in the till, not among their orders.
    assert _orders(client, noodles.owner) == []
