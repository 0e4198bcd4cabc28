"""Segments: rules checked on creation (422 with the bad node's path), members as of a refresh, listed
for marketing staff only; campaigns targeted at a segment (only members see and claim them, stats
split by membership); the customer's opt-out of personalised marketing (PIPL Art. 24)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.customers.models import Interaction
from finlife.insights import service as insights
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.recommend import service as recommend
from finlife.settings import Settings
from tests.accounts.support import Person
from tests.factories import headers, staff_token
from tests.life.support import card_paid_order
from tests.marketing.support import Market, market
from tests.payments.support import Payer, payer

BIG_SPENDERS = {
    "all": [
        {"fact": "spend_90d.restaurant", "op": "gte", "value": 10_000},
        {"not": {"fact": "lifecycle", "op": "eq", "value": "lapsed"}},
    ]
}


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Market:
    return market(client, db, settings)


def _segment(client: TestClient, token: str, rule: Any, name: str = "餐饮常客") -> Any:
    return client.post("/v1/segments", json={"name": name, "rule": rule}, headers=headers(token))


def _refresh(client: TestClient, db: Database, token: str, segment_id: str) -> dict[str, Any]:
    insights.refresh_all(db)  # what `finlife insights refresh` runs before the segments
    answer = client.post(f"/v1/segments/{segment_id}/refresh", headers=headers(token))
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.mark.parametrize(
    ("rule", "code", "path"),
    [
        (
            {
                "all": [
                    {"fact": "lifecycle", "op": "eq", "value": "new"},
                    {"fact": "age", "op": "gt", "value": 3},
                ]
            },
            "segment_unknown_fact",
            "rule.all[1].fact",
        ),
        (
            {"any": [{"not": {"fact": "rfm.r", "op": "between", "value": 3}}]},
            "segment_unknown_operator",
            "rule.any[0].not.op",
        ),
        ({"fact": "spend_90d.restaurant", "op": "gte", "value": "500.00"}, "segment_bad_value", "rule.value"),
        ({"fact": "lifecycle", "op": "gt", "value": "new"}, "segment_bad_value", "rule.value"),
        ({"all": []}, "segment_bad_node", "rule"),
        ({"all": [{"both": []}]}, "segment_bad_node", "rule.all[0]"),
        ({"fact": "districts", "op": "contains"}, "segment_bad_node", "rule"),
    ],
)
def test_a_rule_that_is_not_understood_is_refused_at_its_node(
    client: TestClient, db: Database, settings: Settings, rule: Any, code: str, path: str
) -> None:
    marketer = staff_token(client, db, settings, Role.HQ_MARKETING)
    answer = _segment(client, marketer, rule)
    assert answer.status_code == 422, answer.text
    assert (answer.json()["code"], answer.json()["path"]) == (code, path)
    assert client.get("/v1/segments", headers=headers(marketer)).json() == []


def test_members_are_whom_the_rule_picks_as_of_the_refresh(
    client: TestClient, db: Database, settings: Settings, shop: Market
) -> None:
    marketer = staff_token(client, db, settings, Role.HQ_MARKETING)
    spender = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, spender, amount=10_000)
    small = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, small, amount=9_999)  # one fen under the rule's bound
    created = _segment(client, marketer, BIG_SPENDERS)
    assert created.status_code == 201, created.text
    segment_id = created.json()["id"]
    assert created.json()["members"] == 0  # none until it is refreshed
    assert _refresh(client, db, marketer, segment_id)["members"] == 1
    assert client.get(f"/v1/segments/{segment_id}", headers=headers(marketer)).json()["members"] == 1
    members = client.get(f"/v1/segments/{segment_id}/members", headers=headers(marketer)).json()
    assert members["data"] == [
        {"customer_id": spender.person.customer_id, "name": spender.person.name, "lifecycle": "new"}
    ]
    assert _refresh(client, db, marketer, segment_id)["members"] == 1  # idempotent
    view = client.get(f"/v1/customers/{spender.person.customer_id}/view", headers=headers(spender.token))
    assert view.json()["segments"] == [{"id": segment_id, "name": "餐饮常客"}]


def test_only_marketing_staff_define_and_list_segments(
    client: TestClient, db: Database, settings: Settings, shop: Market
) -> None:
    for role in (Role.TELLER,):
        token = staff_token(client, db, settings, role)
        assert _segment(client, token, BIG_SPENDERS).status_code == 403
    assert _segment(client, shop.till.owner, BIG_SPENDERS).status_code == 403
    for role in (Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN):
        assert _segment(client, staff_token(client, db, settings, role), BIG_SPENDERS).status_code == 201


def _targeted(shop: Market, segment_id: str) -> str:
    return shop.live(
        by_bank=True, funding={"hq": 100}, budget={"hq": 10_000}, audience={"segment_id": segment_id}
    )


def _sees(client: TestClient, person: Person, campaign_id: str) -> bool:
    found = client.get("/v1/life/coupons", headers=headers(person.token, channel="mobile")).json()
    return campaign_id in {coupon["campaign_id"] for coupon in found}


def test_a_targeted_campaign_is_seen_and_claimed_by_members_only(
    client: TestClient, db: Database, settings: Settings, shop: Market
) -> None:
    marketer = shop.officer(Role.HQ_MARKETING)
    member = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, member, amount=20_000)
    other: Payer = payer(shop.bank, 100_000)
    segment_id = _segment(client, marketer, BIG_SPENDERS).json()["id"]
    _refresh(client, db, marketer, segment_id)
    campaign_id = _targeted(shop, segment_id)
    everyone = shop.live(by_bank=True, funding={"hq": 100}, budget={"hq": 10_000})
    assert client.get(f"/v1/campaigns/{campaign_id}", headers=headers(marketer)).json()["audience"] == {
        "segment_id": segment_id
    }
    assert _sees(client, member.person, campaign_id) and _sees(client, member.person, everyone)
    assert not _sees(client, other.person, campaign_id) and _sees(client, other.person, everyone)
    refused = shop.claim(other.person, campaign_id)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_in_audience")
    shop.coupon(member.person, campaign_id)
    shop.coupon(other.person, everyone)
    stats = client.get(f"/v1/campaigns/{campaign_id}/stats", headers=headers(marketer)).json()
    assert stats["claimed"] == 1
    assert stats["by_audience"] == {
        "segment_id": segment_id,
        "members": {"claimed": 1, "redeemed": 0, "revenue": 0},
        "others": {"claimed": 0, "redeemed": 0, "revenue": 0},
    }
    untargeted = client.get(f"/v1/campaigns/{everyone}/stats", headers=headers(marketer)).json()
    assert untargeted["by_audience"] is None


def test_a_campaign_names_an_existing_segment_and_only_the_bank_targets(
    client: TestClient, shop: Market
) -> None:
    marketer = shop.officer(Role.HQ_MARKETING)
    unknown = shop.create(
        marketer, funding={"hq": 100}, budget={"hq": 10_000}, audience={"segment_id": "seg_x"}
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "audience_segment_unknown")
    segment_id = _segment(client, marketer, BIG_SPENDERS).json()["id"]
    by_merchant = shop.create(audience={"segment_id": segment_id})
    assert (by_merchant.status_code, by_merchant.json()["code"]) == (403, "audience_not_allowed")


def test_opting_out_leaves_every_segment_and_shows_untargeted_campaigns_only(
    client: TestClient, db: Database, shop: Market
) -> None:
    marketer = shop.officer(Role.HQ_MARKETING)
    member = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, member, amount=20_000)
    segment_id = _segment(client, marketer, BIG_SPENDERS).json()["id"]
    assert _refresh(client, db, marketer, segment_id)["members"] == 1
    campaign_id = _targeted(shop, segment_id)
    assert _sees(client, member.person, campaign_id)

    mine = client.get("/v1/me/preferences", headers=headers(member.token))
    assert mine.json() == {"personalised_marketing": True, "channel": None, "changed_at": None}
    off = client.patch(
        "/v1/me/preferences",
        json={"personalised_marketing": False},
        headers=headers(member.token, channel="mobile"),
    )
    assert off.status_code == 200, off.text
    assert (off.json()["personalised_marketing"], off.json()["channel"]) == (False, "mobile")
    assert client.get(f"/v1/segments/{segment_id}", headers=headers(marketer)).json()["members"] == 0
    assert not _sees(client, member.person, campaign_id)
    refused = shop.claim(member.person, campaign_id)
    assert (refused.status_code, refused.json()["code"]) == (403, "not_in_audience")
    assert _refresh(client, db, marketer, segment_id)["members"] == 0  # a refresh does not bring them back
    with db.unit_of_work() as session:
        assert insights.personalised(session, member.person.customer_id) is False
        recorded = session.execute(
            select(Interaction.channel, Interaction.details).where(
                Interaction.customer_id == member.person.customer_id,
                Interaction.action == "marketing_consent.changed",
            )
        ).all()
    assert recorded == [("mobile", {"personalised_marketing": False})]

    on = client.patch(
        "/v1/me/preferences", json={"personalised_marketing": True}, headers=headers(member.token)
    )
    assert on.json()["personalised_marketing"] is True
    assert _refresh(client, db, marketer, segment_id)["members"] == 1
    assert _sees(client, member.person, campaign_id)


def test_staff_cannot_set_a_customers_choice(client: TestClient, db: Database, settings: Settings) -> None:
    teller = staff_token(client, db, settings, Role.TELLER)
    answer = client.patch(
        "/v1/me/preferences", json={"personalised_marketing": False}, headers=headers(teller)
    )
    assert answer.status_code == 403


def test_coupons_recommended_to_a_customer_are_only_those_they_may_claim(
    client: TestClient, db: Database, settings: Settings, shop: Market
) -> None:
    marketer = shop.officer(Role.HQ_MARKETING)
    member = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, member, amount=20_000)
    other: Payer = payer(shop.bank, 100_000)
    card_paid_order(client, shop.till, other, amount=2_000)  # the same store, ranked for both
    segment_id = _segment(client, marketer, BIG_SPENDERS).json()["id"]
    _refresh(client, db, marketer, segment_id)
    campaign_id = _targeted(shop, segment_id)
    everyone = shop.live(by_bank=True, funding={"hq": 100}, budget={"hq": 10_000})
    with db.unit_of_work() as session:
        recommend.train(session)

    def offered(person: Person) -> set[str]:
        answer = client.get(
            "/v1/me/recommendations",
            params={"kind": "coupons"},
            headers=headers(person.token, channel="mobile"),
        )
        assert answer.status_code == 200, answer.text
        return {item["campaign_id"] for item in answer.json()["data"]}

    assert offered(member.person) == {campaign_id, everyone}
    assert offered(other.person) == {everyone}  # not in the segment: never offered what they cannot claim
