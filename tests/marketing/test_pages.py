"""The campaign pages of the merchant console (/merchant/campaigns) and the bank console
(/bank/campaigns, /bank/districts): forms parsed into the service's input, refusals inline in the
catalogue's words, four eyes on approval, figures and the funnel drawn."""

from __future__ import annotations

import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE, Role
from tests.factories import sign_in
from tests.marketing.support import Market
from tests.web.forms import hidden_fields, submit

CAMPAIGNS = "/merchant/campaigns"


def browser(app: FastAPI, token: str) -> TestClient:
    """A browser whose session cookie carries this login (as the sign-in page would set it)."""
    visitor = TestClient(app, follow_redirects=False)
    visitor.cookies.set(TOKEN_COOKIE, token)
    return visitor


def campaign_form(**fields: str | list[str]) -> dict[str, str | list[str]]:
    """The new-campaign form filled in: ¥5 off, 50 coupons, one each, 30 days after claim."""
    form: dict[str, str | list[str]] = {
        "name": "到店立减5元",
        "kind": "fixed",
        "value": "5",
        "funding_merchant": "100",
        "budget_merchant": "500",
        "stock": "50",
        "per_customer_limit": "1",
        "price": "0",
        "valid_days": "30",
    }
    return form | fields


def _create(owner: TestClient, **fields: str | list[str]) -> httpx.Response:
    page = owner.get(CAMPAIGNS + "/new").text
    return owner.post(CAMPAIGNS, data={**hidden_fields(page, CAMPAIGNS), **campaign_form(**fields)})


def _created(response: httpx.Response) -> str:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/merchant/campaigns/(cmp_\w+)", response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


@pytest.fixture
def owner(app: FastAPI, shop: Market) -> TestClient:
    return browser(app, shop.till.owner)


def test_the_owner_draws_up_submits_and_runs_a_campaign(owner: TestClient, shop: Market) -> None:
    empty = owner.get(CAMPAIGNS)
    assert empty.status_code == 200 and "还没有营销活动" in empty.text
    campaign_id = _created(_create(owner, store_ids=[shop.till.store_id], labels=["special_offer"]))
    page = owner.get(f"{CAMPAIGNS}/{campaign_id}")
    assert page.status_code == 200 and "活动草稿已保存" in page.text
    assert 'data-status="draft"' in page.text and "立减 ¥5.00" in page.text and "徐家汇店" in page.text
    stored = shop.client.get(
        f"/v1/campaigns/{campaign_id}", headers={"Authorization": f"Bearer {shop.till.owner}"}
    )
    assert stored.json()["value"] == 500 and stored.json()["budget"]["merchant"] == 50_000
    assert stored.json()["store_ids"] == [shop.till.store_id] and stored.json()["labels"] == ["special_offer"]

    # The merchant alone pays: submitting puts it live at once.
    submitted = submit(owner, f"{CAMPAIGNS}/{campaign_id}", f"{CAMPAIGNS}/{campaign_id}/submit", {})
    assert submitted.status_code == 303
    live = owner.get(f"{CAMPAIGNS}/{campaign_id}")
    assert "活动已提交" in live.text and 'data-status="live"' in live.text
    paused = submit(owner, f"{CAMPAIGNS}/{campaign_id}", f"{CAMPAIGNS}/{campaign_id}/pause", {})
    assert paused.status_code == 303
    assert 'data-status="paused"' in owner.get(f"{CAMPAIGNS}/{campaign_id}").text
    listing = owner.get(CAMPAIGNS)
    assert "到店立减5元" in listing.text and "0 / 50" in listing.text


def test_the_campaign_page_shows_figures_and_the_funnel(owner: TestClient, shop: Market) -> None:
    campaign_id = shop.live()
    person, _ = shop.customer()
    shop.coupon(person, campaign_id)
    page = owner.get(f"{CAMPAIGNS}/{campaign_id}")
    assert page.status_code == 200
    assert '<svg class="chart funnel__chart"' in page.text
    claim_bar = re.search(r'<g data-step="claim">.*?</g>', page.text, re.DOTALL)
    assert claim_bar and ">1</text>" in claim_bar.group(0)
    assert 'data-funnel="claim"><td>领券</td><td class="num">1</td>' in page.text
    assert "1 / 100" in page.text  # issued of stock


def test_a_refused_campaign_comes_back_with_the_catalogue_words(owner: TestClient) -> None:
    shares = _create(owner, funding_merchant="60", funding_branch="30")
    assert shares.status_code == 422
    assert "商户、分行、总行的出资比例之和须为 100%" in shares.text
    assert 'value="到店立减5元"' in shares.text  # what was typed stays
    no_budget = _create(owner, budget_merchant="")
    assert no_budget.status_code == 422 and 'id="f-budget_merchant-error"' in no_budget.text
    assert "出资方须设定预算：merchant" in no_budget.text
    both = _create(owner, valid_to="2026-12-31")
    assert both.status_code == 422 and "有效期须为固定起止日期或领取后 N 天" in both.text
    bad_value = _create(owner, value="5.123")
    assert bad_value.status_code == 422 and 'id="f-value-error"' in bad_value.text
    bad_date = _create(owner, valid_days="", valid_to="31/12/2026")
    assert bad_date.status_code == 422 and "请按 年-月-日 填写日期" in bad_date.text


def test_cashiers_and_other_merchants_do_not_see_campaigns(
    app: FastAPI, owner: TestClient, shop: Market
) -> None:
    campaign_id = _created(_create(owner))
    cashier = browser(app, shop.till.cashier)
    assert cashier.get(CAMPAIGNS).status_code == 403
    person = shop.bank.customer()  # a customer on web, a channel of the merchant console
    stranger = browser(app, sign_in(shop.bank.client, username=person.phone, channel="web"))
    assert stranger.get(f"{CAMPAIGNS}/{campaign_id}").status_code == 403
    mobile = browser(app, person.token)  # the customer app's session is no merchant console session
    assert mobile.get(f"{CAMPAIGNS}/{campaign_id}").headers["location"].startswith("/merchant/login?next=")


def test_a_bank_officer_approves_a_co_funded_campaign_but_not_their_own(
    app: FastAPI, owner: TestClient, shop: Market
) -> None:
    asked = _created(_create(owner, funding_merchant="50", funding_branch="50", budget_branch="500"))
    submitted = submit(owner, f"{CAMPAIGNS}/{asked}", f"{CAMPAIGNS}/{asked}/submit", {})
    assert submitted.status_code == 303
    assert 'data-status="submitted"' in owner.get(f"{CAMPAIGNS}/{asked}").text

    officer = browser(app, shop.officer(Role.BRANCH_MARKETING))
    waiting = officer.get("/bank/campaigns")
    assert waiting.status_code == 200 and f'data-campaign="{asked}"' in waiting.text
    approved = submit(officer, f"/bank/campaigns/{asked}", f"/bank/campaigns/{asked}/approve", {})
    assert approved.status_code == 303
    page = officer.get(f"/bank/campaigns/{asked}")
    assert "活动已批准" in page.text and 'data-status="live"' in page.text
    assert f'data-campaign="{asked}"' not in officer.get("/bank/campaigns").text  # no longer waiting
    budgets = officer.get("/bank/campaigns?tab=all").text
    assert "已用 ¥0.00，预算 ¥500.00" in budgets  # the branch's budget, nothing spent yet

    # A bank campaign drawn up by this officer: approving it is someone else's job.
    body = {
        "name": "支行补贴",
        "kind": "fixed",
        "value": 300,
        "funding": {"branch": 100},
        "budget": {"branch": 30_000},
        "stock": 100,
        "valid_days": 7,
    }
    own = shop.client.post(
        "/v1/campaigns", json=body, headers={"Authorization": f"Bearer {shop.officer(Role.BRANCH_MARKETING)}"}
    )
    assert own.status_code == 201, own.text
    own_id = own.json()["id"]
    assert shop.act(own_id, "submit", shop.officer(Role.BRANCH_MARKETING)).status_code == 200
    refused = submit(officer, f"/bank/campaigns/{own_id}", f"/bank/campaigns/{own_id}/approve", {})
    assert refused.status_code == 403 and "不能审批自己创建的活动" in refused.text
    second = browser(app, shop.officer(Role.BRANCH_MARKETING, second=True))
    no_reason = submit(
        second, f"/bank/campaigns/{own_id}", f"/bank/campaigns/{own_id}/reject", {"reason": " "}
    )
    assert no_reason.status_code == 422 and 'id="f-reason-error"' in no_reason.text
    assert 'data-status="submitted"' in second.get(f"/bank/campaigns/{own_id}").text
    rejected = submit(
        second, f"/bank/campaigns/{own_id}", f"/bank/campaigns/{own_id}/reject", {"reason": "补贴比例过高"}
    )
    assert rejected.status_code == 303
    assert 'data-status="draft"' in second.get(f"/bank/campaigns/{own_id}").text
    read = shop.client.get(
        f"/v1/campaigns/{own_id}", headers={"Authorization": f"Bearer {shop.officer(Role.BRANCH_MARKETING)}"}
    )
    assert read.json()["rejection_reason"] == "补贴比例过高"


def test_marketing_draws_districts_and_sees_their_stores(app: FastAPI, shop: Market) -> None:
    teller = browser(app, shop.officer(Role.BRANCH_MARKETING))
    page = teller.get("/bank/districts")
    assert page.status_code == 200 and "还没有商圈" in page.text
    form = {"name": "徐家汇商圈", "centre_latitude": "31.194500", "centre_longitude": "121.437000"}
    missing = submit(teller, "/bank/districts", "/bank/districts", form)
    assert missing.status_code == 422 and 'id="f-radius_m-error"' in missing.text
    bad = submit(
        teller, "/bank/districts", "/bank/districts", form | {"radius_m": "800", "centre_latitude": "91"}
    )
    assert bad.status_code == 422 and 'id="f-centre_latitude-error"' in bad.text
    created = submit(teller, "/bank/districts", "/bank/districts", form | {"radius_m": "800"})
    assert created.status_code == 303
    district = teller.get(created.headers["location"])
    assert "商圈已创建" in district.text and "徐家汇店" in district.text  # the shop stands inside
    assert "半径 800 米" in teller.get("/bank/districts").text
    # Districts and campaign approvals are marketing's work; a teller's is serving customers.
    counter = browser(app, shop.bank.teller)
    assert counter.get("/bank/campaigns").status_code == 403
    assert counter.get("/bank/districts").status_code == 403
