"""GET /v1/me/recommendations through the API: a small town where two cafés of 静安区 share their
customers and a restaurant of 浦东 is the most popular; payments by card, the model trained as
``finlife insights train`` trains it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from finlife.kit.db import Database
from finlife.merchants.models import Store
from finlife.recommend import service
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.factories import headers
from tests.life.campaigns import claim, end, live_campaign
from tests.life.support import card_paid_order, shop
from tests.payments.support import Payer, payer

JINGAN = ("31.233000", "121.453000")
JINGAN_EAST = ("31.234000", "121.455000")
PUDONG = ("31.230000", "121.540000")


@dataclass
class Town:
    cafe: Till
    other_cafe: Till
    restaurant: Till
    me: Payer


def _shop(
    client: TestClient, db: Database, settings: Settings, at: tuple[str, str], name: str, **store: Any
) -> Till:
    return shop(client, db, settings, at=at, name=name, **store)


@pytest.fixture
def town(client: TestClient, db: Database, settings: Settings, bank: Bank) -> Town:
    cafe = _shop(client, db, settings, JINGAN, "愚园路咖啡", district="静安区", category="cafe")
    other = _shop(client, db, settings, JINGAN_EAST, "常德路咖啡", district="静安区", category="cafe")
    restaurant = _shop(
        client, db, settings, PUDONG, "世纪大道面馆", district="浦东新区", category="restaurant"
    )
    me, fan, diners = payer(bank, 200_000), payer(bank, 200_000), [payer(bank, 200_000) for _ in range(3)]
    for till, who in [(cafe, me), (cafe, me), (cafe, fan), (other, fan)] + [(restaurant, d) for d in diners]:
        card_paid_order(client, till, who, 2_000)
    with db.unit_of_work() as session:
        trained = service.train(session)
    assert (trained.customers, trained.stores, trained.visits) == (5, 3, 7)
    return Town(cafe, other, restaurant, me)


def _ask(client: TestClient, who: Payer, language: str = "zh-CN", **query: Any) -> dict[str, Any]:
    response = client.get(
        "/v1/me/recommendations",
        params=query,
        headers=headers(who.token, channel="mobile", **{"Accept-Language": language}),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_stores_come_with_their_reasons_in_the_customers_language(client: TestClient, town: Town) -> None:
    body = _ask(client, town.me)
    assert body["personalised"] is True
    by_store = {item["store_id"]: item for item in body["data"]}
    assert list(by_store) == [town.other_cafe.store_id, town.cafe.store_id, town.restaurant.store_id]
    assert by_store[town.other_cafe.store_id]["reason"] == "因为你常在静安区喝咖啡"
    assert by_store[town.other_cafe.store_id]["favourite"] is False
    assert by_store[town.cafe.store_id]["reason"] == "你的常去之选（来过 2 次）"
    assert by_store[town.cafe.store_id]["favourite"] is True
    assert by_store[town.cafe.store_id]["name"] == "愚园路咖啡"
    scores = [item["score"] for item in body["data"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    english = _ask(client, town.me, "en", limit=1)["data"]
    assert english == [
        by_store[town.other_cafe.store_id] | {"reason": "Because you often have coffee in 静安区"}
    ]


def test_a_store_closed_since_the_training_is_never_recommended(
    client: TestClient, db: Database, town: Town
) -> None:
    with db.unit_of_work() as session:
        session.execute(
            update(Store).where(Store.public_id == town.other_cafe.store_id).values(status="closed")
        )
    stores = [item["store_id"] for item in _ask(client, town.me)["data"]]
    assert stores == [town.cafe.store_id, town.restaurant.store_id]


def test_with_personalisation_off_everyone_gets_the_popularity_baseline(
    client: TestClient, town: Town, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "_checks", [])
    asked: list[str] = []

    def switched_off(_session: object, customer_id: str) -> bool:
        asked.append(customer_id)
        return False

    service.register_personalisation_check(switched_off)
    body = _ask(client, town.me, "en")
    assert asked == [town.me.person.customer_id]
    assert body["personalised"] is False
    assert body["data"][0]["store_id"] == town.restaurant.store_id  # three customers: the most popular
    assert {item["reason"] for item in body["data"]} == {"Popular with everyone"}
    assert not any(item["favourite"] for item in body["data"])


def test_a_customer_with_no_history_gets_the_baseline(client: TestClient, bank: Bank, town: Town) -> None:
    body = _ask(client, payer(bank, 1_000))
    assert body["personalised"] is False
    assert body["data"][0]["store_id"] == town.restaurant.store_id


def test_coupons_are_live_and_not_already_held(client: TestClient, town: Town) -> None:
    at_my_cafe = live_campaign(client, town.cafe, name="咖啡立减")
    claimed = live_campaign(client, town.restaurant, name="面馆立减")
    ended = live_campaign(client, town.other_cafe, name="常德路立减")
    end(client, town.other_cafe, ended)
    assert claim(client, town.me.token, claimed).status_code == 201
    body = _ask(client, town.me, kind="coupons")
    assert body["personalised"] is True
    assert [item["campaign_id"] for item in body["data"]] == [at_my_cafe]
    only = body["data"][0]
    assert only["store_id"] == town.cafe.store_id and only["name"] == "咖啡立减"
    assert only["reason"] == "可在愚园路咖啡使用 · 你的常去之选（来过 2 次）"


@pytest.mark.parametrize(
    "query", [{"kind": "hotels"}, {"limit": 0}, {"limit": 51}, {"limit": "ten"}], ids=str
)
def test_a_bad_kind_or_limit_is_a_validation_problem(
    client: TestClient, town: Town, query: dict[str, Any]
) -> None:
    response = client.get(
        "/v1/me/recommendations", params=query, headers=headers(town.me.token, channel="mobile")
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_error"


def test_only_a_signed_in_customer_is_recommended_anything(
    client: TestClient, bank: Bank, town: Town
) -> None:
    assert client.get("/v1/me/recommendations").status_code == 401
    staff = client.get("/v1/me/recommendations", headers=headers(bank.teller))
    assert staff.status_code == 403


def test_switching_off_personalised_marketing_in_the_app_gives_the_baseline(
    client: TestClient, town: Town
) -> None:
    """The wiring of app.py: the insights opt-out (PIPL Art. 24) is the recommendations' switch."""
    assert _ask(client, town.me)["personalised"] is True
    switched = client.patch(
        "/v1/me/preferences",
        json={"personalised_marketing": False},
        headers=headers(town.me.token, channel="mobile"),
    )
    assert switched.status_code == 200, switched.text
    body = _ask(client, town.me, "en")
    assert body["personalised"] is False
    assert {item["reason"] for item in body["data"]} == {"Popular with everyone"}
