"""Campaigns: terms checked when drawn up, who may fund what, the approval path and the lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from finlife.kit.auth import Role
from tests.accounts.support import audit_count
from tests.factories import headers
from tests.marketing.support import Market


def test_a_merchant_only_campaign_is_approved_on_submission_and_live(shop: Market) -> None:
    created = shop.create()
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft"
    assert body["owner"] == "merchant"
    assert body["merchant_id"] == shop.till.merchant_id
    submitted = shop.act(body["id"], "submit")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "live"
    assert audit_count(shop.db, "marketing.campaign_submitted") == 1


def test_bank_money_needs_a_second_bank_officer(shop: Market) -> None:
    author = shop.officer(Role.BRANCH_MARKETING)
    created = shop.create(author, funding={"branch": 100}, budget={"branch": 50_000})
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert created.json()["owner"] == "bank"
    assert shop.act(campaign_id, "submit", author).json()["status"] == "submitted"
    own = shop.act(campaign_id, "approve", author)
    assert own.status_code == 403
    assert own.json()["code"] == "cannot_approve_own_campaign"
    assert shop.act(campaign_id, "approve", shop.till.owner).status_code == 403  # not bank staff
    approver = shop.officer(Role.BRANCH_MARKETING, second=True)
    approved = shop.act(campaign_id, "approve", approver)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "live"
    approver_id = shop.client.get("/v1/me", headers=headers(approver)).json()["user_id"]
    author_id = shop.client.get("/v1/me", headers=headers(author)).json()["user_id"]
    assert approved.json()["approved_by"] == approver_id != author_id


def test_a_merchant_may_ask_the_bank_to_co_fund_and_waits_for_approval(shop: Market) -> None:
    created = shop.create(
        funding={"merchant": 50, "branch": 30, "hq": 20},
        budget={"merchant": 10_000, "branch": 6_000, "hq": 4_000},
    )
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert shop.act(campaign_id, "submit").json()["status"] == "submitted"
    branch_only = shop.act(campaign_id, "approve", shop.officer(Role.BRANCH_MARKETING))
    assert branch_only.status_code == 403  # head-office money needs head-office marketing
    assert branch_only.json()["code"] == "bank_funding_needs_staff"
    assert shop.act(campaign_id, "approve", shop.officer(Role.HQ_MARKETING)).json()["status"] == "live"


def test_who_commits_whose_money(shop: Market) -> None:
    branch = shop.officer(Role.BRANCH_MARKETING)
    merchant_money = shop.create(branch, funding={"merchant": 100}, budget={"merchant": 1_000})
    assert merchant_money.status_code == 403
    assert merchant_money.json()["code"] == "merchant_funding_needs_owner"
    hq_money = shop.create(branch, funding={"hq": 100}, budget={"hq": 1_000})
    assert hq_money.status_code == 403
    assert hq_money.json()["code"] == "bank_funding_needs_staff"
    customer, _ = shop.customer()
    assert shop.create(customer.token).status_code == 403


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"funding": {"merchant": 60, "branch": 30}}, "funding_not_whole", "funding"),
        ({"funding": {"merchant": 100}, "budget": {}}, "budget_required", "budget.merchant"),
        ({"budget": {"merchant": 100, "hq": 100}}, "budget_without_share", "budget.hq"),
        ({"kind": "percent", "value": 120, "cap": 500}, "invalid_coupon_value", "value"),
        ({"kind": "percent", "value": 20}, "percent_needs_cap", "cap"),
        ({"kind": "threshold", "value": 2_000, "min_spend": 2_000}, "threshold_needs_min_spend", "min_spend"),
        ({"kind": "fixed", "value": 0}, "invalid_coupon_value", "value"),
        ({"kind": "free_item"}, "free_item_needs_variation", "free_variation_id"),
        ({"price": 500}, "price_not_below_value", "price"),
        ({"valid_to": "2030-01-01T00:00:00Z"}, "invalid_validity", "valid_to"),
        (
            {"valid_days": None, "valid_from": "2030-01-02T00:00:00Z", "valid_to": "2030-01-01T00:00:00Z"},
            "invalid_validity",
            "valid_to",
        ),
        ({"store_ids": ["sto_nothing"]}, "invalid_scope", "store_ids"),
        ({"district_id": "dis_nothing"}, "invalid_scope", "district_id"),
    ],
)
def test_contradictory_terms_are_refused_with_their_rule(
    shop: Market, fields: dict[str, object], code: str, field: str
) -> None:
    response = shop.create(**fields)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert response.json()["field"] == field
    assert (
        shop.client.get("/v1/campaigns", headers={"Authorization": f"Bearer {shop.till.owner}"}).json() == []
    )


def test_a_merchant_campaign_stays_in_its_own_stores(shop: Market) -> None:
    from tests.cashier.support import open_till

    other = open_till(shop.client, shop.db, shop.settings, name="上海别家餐饮有限公司")
    response = shop.create(store_ids=[other.store_id])
    assert response.status_code == 422
    assert response.json()["code"] == "scope_outside_merchant"
    assert shop.create(store_ids=[shop.till.store_id]).status_code == 201


def test_the_free_item_must_be_the_merchants_own(shop: Market) -> None:
    ok = shop.create(kind="free_item", value=0, free_variation_id=shop.cake)
    assert ok.status_code == 201, ok.text
    assert shop.create(kind="free_item", value=0, free_variation_id="var_nothing").status_code == 422


def test_lifecycle_pause_resume_end(shop: Market) -> None:
    campaign_id = shop.live()
    paused = shop.act(campaign_id, "pause")
    assert paused.json()["status"] == "paused"
    again = shop.act(campaign_id, "pause")
    assert again.status_code == 409
    assert again.json()["code"] == "campaign_wrong_status"
    assert shop.act(campaign_id, "resume").json()["status"] == "live"
    ended = shop.act(campaign_id, "end")
    assert ended.json()["status"] == "ended"
    assert ended.json()["ended_reason"] == "ended"
    assert shop.act(campaign_id, "resume").status_code == 409


def test_a_campaign_is_live_only_from_its_first_day(shop: Market) -> None:
    start = datetime.now(UTC) + timedelta(days=2)
    campaign_id = shop.live(
        valid_from=start.isoformat(), valid_days=None, valid_to=(start + timedelta(days=7)).isoformat()
    )
    shown = shop.client.get(
        f"/v1/campaigns/{campaign_id}", headers={"Authorization": f"Bearer {shop.till.owner}"}
    )
    assert shown.json()["status"] == "approved"


def test_other_merchants_do_not_see_a_campaign(shop: Market) -> None:
    from tests.cashier.support import open_till

    campaign_id = shop.live()
    other = open_till(shop.client, shop.db, shop.settings, name="上海别家餐饮有限公司")
    auth = {"Authorization": f"Bearer {other.owner}"}
    assert shop.client.get(f"/v1/campaigns/{campaign_id}", headers=auth).status_code == 404
    assert shop.client.post(f"/v1/campaigns/{campaign_id}/end", headers=auth).status_code == 404
    assert shop.client.get("/v1/campaigns", headers=auth).json() == []
    officer = {"Authorization": f"Bearer {shop.officer()}"}
    assert [c["id"] for c in shop.client.get("/v1/campaigns", headers=officer).json()] == [campaign_id]


@pytest.mark.parametrize("role", [Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN])
def test_only_the_merchants_owner_submits_the_merchants_draft(shop: Market, role: Role) -> None:
    campaign_id = shop.create().json()["id"]  # merchant-funded: submitting it makes it live
    refused = shop.act(campaign_id, "submit", shop.officer(role))
    assert (refused.status_code, refused.json()["code"]) == (403, "draft_submitter_not_allowed")
    assert shop.act(campaign_id, "end", shop.till.owner).json()["status"] == "ended"  # still a draft then
    assert audit_count(shop.db, "marketing.campaign_submitted") == 0
    other_id = shop.create().json()["id"]
    assert shop.act(other_id, "submit").json()["status"] == "live"  # the owner may


@pytest.mark.parametrize(("role", "second"), [(Role.BRANCH_MARKETING, True), (Role.HQ_MARKETING, False)])
def test_only_the_author_submits_a_bank_draft(shop: Market, role: Role, second: bool) -> None:
    author = shop.officer(Role.BRANCH_MARKETING)
    campaign_id = shop.create(author, funding={"branch": 100}, budget={"branch": 5_000}).json()["id"]
    for stranger in (shop.officer(role, second=second), shop.officer(Role.BANK_ADMIN)):
        refused = shop.act(campaign_id, "submit", stranger)
        assert (refused.status_code, refused.json()["code"]) == (403, "draft_submitter_not_allowed")
    assert shop.act(campaign_id, "submit", shop.till.owner).status_code == 404  # not the merchant's
    assert shop.act(campaign_id, "submit", author).json()["status"] == "submitted"


def test_sending_a_campaign_back_needs_a_reason_its_owner_reads(shop: Market) -> None:
    author = shop.officer(Role.BRANCH_MARKETING)
    created = shop.create(author, funding={"branch": 100}, budget={"branch": 50_000})
    campaign_id = created.json()["id"]
    assert shop.act(campaign_id, "submit", author).status_code == 200
    checker = shop.officer(Role.BRANCH_MARKETING, second=True)
    bare = shop.act(campaign_id, "reject", checker)
    assert bare.status_code == 422
    blank = shop.client.post(
        f"/v1/campaigns/{campaign_id}/reject", json={"reason": "  "}, headers=headers(checker)
    )
    assert blank.status_code == 422
    sent_back = shop.client.post(
        f"/v1/campaigns/{campaign_id}/reject", json={"reason": "预算不足"}, headers=headers(checker)
    )
    assert sent_back.status_code == 200, sent_back.text
    assert (sent_back.json()["status"], sent_back.json()["rejection_reason"]) == ("draft", "预算不足")
