"""A draft campaign is changed (PATCH /v1/campaigns/{id}) by whoever may submit it, by the rules of a
new one, until it is submitted; and the owner learns which bank-funded campaigns apply at its stores."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from finlife.kit.auth import Actor, Channel, Role
from finlife.marketing import service as marketing
from tests.accounts.support import audit_count
from tests.factories import headers
from tests.marketing.support import Market


def _edit(shop: Market, campaign_id: str, body: Any, token: str | None = None) -> httpx.Response:
    return shop.client.patch(
        f"/v1/campaigns/{campaign_id}", json=body, headers=headers(token or shop.till.owner)
    )


def test_the_owner_changes_a_draft_and_only_what_was_sent(shop: Market) -> None:
    created = shop.create().json()
    changes = {
        "name": "午市立减8元",
        "value": 800,
        "stock": 50,
        "valid_days": None,
        "valid_to": "2030-01-01T00:00:00+08:00",
    }
    edited = _edit(shop, created["id"], changes)
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["name"], body["value"], body["stock"], body["valid_days"]) == ("午市立减8元", 800, 50, None)
    assert datetime.fromisoformat(body["valid_to"]) == datetime(2029, 12, 31, 16, tzinfo=UTC)
    kept = {k: v for k, v in created.items() if k not in {*changes, "valid_to"}}
    assert {k: body[k] for k in kept} == kept
    read = shop.client.get(f"/v1/campaigns/{created['id']}", headers=headers(shop.till.owner)).json()
    assert datetime.fromisoformat(read.pop("valid_to")) == datetime.fromisoformat(body.pop("valid_to"))
    assert read == body
    assert audit_count(shop.db, "marketing.campaign_edited") == 1
    assert shop.act(created["id"], "submit").json()["status"] == "live"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"funding": {"merchant": 60}}, "funding_not_whole"),
        ({"kind": "percent", "value": 20}, "percent_needs_cap"),
        ({"valid_to": "2030-01-01T00:00:00+08:00"}, "invalid_validity"),  # and valid_days: both
        ({"valid_days": None}, "invalid_validity"),  # neither
        ({"store_ids": ["sto_unknown"]}, "invalid_scope"),
        ({"name": None}, "validation_error"),
        ({"stock": 0}, "validation_error"),
        ({"merchant_id": "mer_other"}, "validation_error"),
        ({"colour": "red"}, "validation_error"),
    ],
)
def test_an_edit_is_held_to_the_rules_of_a_new_campaign(
    shop: Market, changes: dict[str, Any], code: str
) -> None:
    campaign_id = shop.create().json()["id"]  # valid 30 days after claim
    before = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    refused = _edit(shop, campaign_id, changes)
    assert (refused.status_code, refused.json()["code"]) == (422, code), refused.text
    after = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert after == before
    assert audit_count(shop.db, "marketing.campaign_edited") == 0


def test_a_campaign_sent_back_is_changed_and_submitted_again_but_not_once_submitted(shop: Market) -> None:
    created = shop.create(funding={"merchant": 50, "branch": 50}, budget={"merchant": 5_000, "branch": 5_000})
    campaign_id = created.json()["id"]
    assert shop.act(campaign_id, "submit").json()["status"] == "submitted"
    submitted = _edit(shop, campaign_id, {"stock": 10})
    assert (submitted.status_code, submitted.json()["code"]) == (409, "campaign_wrong_status")
    checker = shop.officer(Role.BRANCH_MARKETING)
    shop.client.post(
        f"/v1/campaigns/{campaign_id}/reject", json={"reason": "预算太高"}, headers=headers(checker)
    )
    edited = _edit(shop, campaign_id, {"budget": {"merchant": 2_000, "branch": 2_000}})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["status"], edited.json()["budget"]["branch"]) == ("draft", 2_000)
    assert shop.act(campaign_id, "submit").json()["status"] == "submitted"
    approved = shop.act(campaign_id, "approve", shop.officer(Role.BRANCH_MARKETING, second=True))
    assert approved.json()["status"] == "live"
    late = _edit(shop, campaign_id, {"name": "改名"})
    assert (late.status_code, late.json()["code"]) == (409, "campaign_wrong_status")
    ended = shop.create().json()["id"]
    shop.act(ended, "end")
    assert _edit(shop, ended, {"name": "改名"}).status_code == 409


def test_only_who_may_submit_a_draft_changes_it(shop: Market) -> None:
    from tests.cashier.support import open_till

    campaign_id = shop.create().json()["id"]
    other = open_till(shop.client, shop.db, shop.settings, name="上海别家餐饮有限公司")
    assert _edit(shop, campaign_id, {"name": "抢走"}, other.owner).status_code == 404
    assert _edit(shop, campaign_id, {"name": "抢走"}, shop.till.cashier).status_code == 403
    refused = _edit(shop, campaign_id, {"name": "银行改"}, shop.officer(Role.BRANCH_MARKETING))
    assert (refused.status_code, refused.json()["code"]) == (403, "draft_submitter_not_allowed")
    author = shop.officer(Role.BRANCH_MARKETING)
    bank_draft = shop.create(author, funding={"branch": 100}, budget={"branch": 5_000}).json()["id"]
    assert _edit(shop, bank_draft, {"name": "改名"}, shop.till.owner).status_code == 404
    assert _edit(shop, bank_draft, {"name": "周末特惠"}, author).json()["name"] == "周末特惠"
    moved = _edit(shop, bank_draft, {"funding": {"hq": 100}, "budget": {"hq": 5_000}}, author)
    assert (moved.status_code, moved.json()["code"]) == (403, "bank_funding_needs_staff")


def test_the_owner_sees_the_bank_funded_campaigns_at_their_stores(shop: Market) -> None:
    from tests.cashier.support import open_till

    everywhere = shop.live(by_bank=True, name="银行满减", funding={"hq": 100}, budget={"hq": 50_000})
    co_funded = shop.live(
        name="双方出资", funding={"merchant": 40, "branch": 60}, budget={"merchant": 4_000, "branch": 6_000}
    )
    shop.live(name="自己出资")  # the merchant's own money: not the bank's
    other = open_till(shop.client, shop.db, shop.settings, name="上海别家餐饮有限公司")
    elsewhere = shop.live(
        by_bank=True,
        name="别家专享",
        funding={"hq": 100},
        budget={"hq": 5_000},
        merchant_ids=[other.merchant_id],
    )
    draft = shop.create(
        shop.officer(Role.HQ_MARKETING), name="还在草稿", funding={"hq": 100}, budget={"hq": 5_000}
    )
    assert draft.status_code == 201
    owner_id = shop.client.get("/v1/me", headers=headers(shop.till.owner)).json()["user_id"]
    owner = Actor(channel=Channel.WEB, user_id=owner_id, roles=frozenset({Role.MERCHANT_OWNER}))
    with shop.db.unit_of_work() as session:
        found = marketing.bank_campaigns_at(session, owner, shop.till.merchant_id)
    assert [(f.campaign.id, f.bank_percent) for f in found] == [(co_funded, 60), (everywhere, 100)]
    assert all(f.store_names == [found[0].store_names[0]] for f in found) and found[0].store_names
    with shop.db.unit_of_work() as session:
        theirs = marketing.bank_campaigns_at(session, owner_of(shop, other.owner), other.merchant_id)
    assert [f.campaign.id for f in theirs] == [elsewhere, everywhere]
    shop.act(everywhere, "pause", shop.officer(Role.HQ_MARKETING))
    shop.act(everywhere, "end", shop.officer(Role.HQ_MARKETING))
    with shop.db.unit_of_work() as session:
        assert [
            f.campaign.id for f in marketing.bank_campaigns_at(session, owner, shop.till.merchant_id)
        ] == [co_funded]


def owner_of(shop: Market, token: str) -> Actor:
    user_id = shop.client.get("/v1/me", headers=headers(token)).json()["user_id"]
    return Actor(channel=Channel.WEB, user_id=user_id, roles=frozenset({Role.MERCHANT_OWNER}))
