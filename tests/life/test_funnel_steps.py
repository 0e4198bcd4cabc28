"""The Life channel's funnel steps and coupons: discovery and the store page carry the live campaigns at
each store (asked of marketing once per request); a signed-in customer's search, store visit and review
are funnel events of those campaigns; visitors without a login and staff leave no trace."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.marketing import service as marketing
from finlife.marketing.models import FunnelEvent
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, post_order
from tests.factories import headers
from tests.life.campaigns import claim, funnel, live_campaign
from tests.life.support import PEOPLES_SQUARE, THE_BUND, card_paid_order, review, shop
from tests.payments.support import Payer, card, payer, tender


@pytest.fixture
def noodles(client: TestClient, db: Database, settings: Settings) -> Till:
    return shop(client, db, settings, at=PEOPLES_SQUARE, name="老上海面馆")


@pytest.fixture
def bund(client: TestClient, db: Database, settings: Settings) -> Till:
    return shop(client, db, settings, at=THE_BUND, name="外滩咖啡")


def _get(client: TestClient, path: str, token: str | None = None, **query: Any) -> Any:
    # A visitor says mobile (a public channel); a token speaks for its own channel.
    response = client.get(path, params=query, headers=headers(token, channel=None if token else "mobile"))
    assert response.status_code == 200, response.text
    return response.json()


def _events(db: Database, step: str) -> list[tuple[str, str | None, str | None, str]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(
                FunnelEvent.campaign_id, FunnelEvent.customer_id, FunnelEvent.store_id, FunnelEvent.channel
            )
            .where(FunnelEvent.step == step)
            .order_by(FunnelEvent.id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_discovery_shows_each_stores_live_coupons_asking_marketing_once(
    client: TestClient, noodles: Till, bund: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    lunch = live_campaign(client, noodles)
    coffee = live_campaign(client, bund, name="咖啡第二杯", value=1_000)
    ended = live_campaign(client, bund, name="已结束")
    client.post(f"/v1/campaigns/{ended}/end", headers=headers(bund.owner))
    asked: list[list[str] | None] = []
    original = marketing.live_coupons

    def counted(*args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("store_ids"))
        return original(*args, **kwargs)

    monkeypatch.setattr(marketing, "live_coupons", counted)
    found = {s["store_id"]: s["coupons"] for s in _get(client, "/v1/life/merchants")}
    assert found == {noodles.store_id: [lunch], bund.store_id: [coffee]}
    assert len(asked) == 1 and sorted(asked[0] or []) == sorted(found)
    page = _get(client, f"/v1/life/merchants/{bund.store_id}")
    assert page["coupons"] == [coffee]
    assert asked[1:] == [[bund.store_id]]


def test_a_customers_search_and_store_visit_are_steps_of_the_campaigns_shown(
    client: TestClient, db: Database, bank: Bank, noodles: Till, bund: Till
) -> None:
    lunch = live_campaign(client, noodles)
    coffee = live_campaign(client, bund, name="咖啡第二杯", value=1_000)
    who = bank.customer()
    _get(client, "/v1/life/merchants", who.token, q="面馆")  # finds the noodle shop only
    _get(client, f"/v1/life/merchants/{bund.store_id}", who.token)
    assert _events(db, "search") == [(lunch, who.customer_id, None, "mobile")]
    assert _events(db, "view") == [(coffee, who.customer_id, bund.store_id, "mobile")]
    assert funnel(client, noodles, lunch)["search"] == (1, 1)
    assert funnel(client, bund, coffee)["view"] == (1, 1)


def test_visitors_without_a_login_and_staff_leave_no_funnel_steps(
    client: TestClient, db: Database, bank: Bank, noodles: Till
) -> None:
    live_campaign(client, noodles)
    teller = bank.staff(Role.TELLER)
    for token in (None, teller):
        _get(client, "/v1/life/merchants", token)
        _get(client, f"/v1/life/merchants/{noodles.store_id}", token)
    assert _events(db, "search") == [] and _events(db, "view") == []


def test_a_review_is_a_step_of_the_campaigns_whose_coupons_the_order_used(
    client: TestClient, db: Database, bank: Bank, noodles: Till
) -> None:
    lunch = live_campaign(client, noodles)
    unused = live_campaign(client, noodles, name="没用上的券")
    who: Payer = payer(bank, 200_000)
    code = claim(client, who.token, lunch).json()["code"]
    claim(client, who.token, unused)
    placed = post_order(client, noodles, [{"name": "餐费", "amount": 8_800}], coupon_codes=[code])
    assert placed.status_code == 201, placed.text
    order = placed.json()
    assert (order["discount"], order["total"]) == (500, 8_300)
    assert tender(client, noodles, order["id"], card(who, order["total"])).status_code == 201
    assert review(client, who.token, noodles.store_id, order["id"]).status_code == 201
    plain = card_paid_order(client, noodles, who)
    assert review(client, who.token, noodles.store_id, plain).status_code == 201
    assert _events(db, "review") == [(lunch, who.person.customer_id, noodles.store_id, "mobile")]
    assert funnel(client, noodles, lunch)["review"] == (1, 1)
    assert funnel(client, noodles, unused)["review"] == (0, 0)
