"""The owner changes a draft campaign from its page, and reads on the campaigns page the bank-funded
campaigns that apply at their stores, in words."""

from __future__ import annotations

from fastapi import FastAPI

from finlife.kit.auth import Role
from tests.factories import headers
from tests.marketing.support import Market
from tests.marketing.test_pages import CAMPAIGNS, _create, _created, browser
from tests.web.forms import submit


def test_the_owner_edits_a_draft_from_its_page_until_it_is_submitted(app: FastAPI, shop: Market) -> None:
    owner = browser(app, shop.till.owner)
    campaign_id = _created(_create(owner))
    page = f"{CAMPAIGNS}/{campaign_id}"
    edit = f"{page}/edit"
    assert f'href="{edit}"' in owner.get(page).text
    form = owner.get(edit)
    assert form.status_code == 200
    assert 'value="到店立减5元"' in form.text and 'value="5"' in form.text and 'value="500"' in form.text
    assert "带 * 的为必填项" in form.text and 'id="f-stock"' in form.text
    fields = {
        "name": "午市立减8元",
        "kind": "fixed",
        "value": "8",
        "funding_merchant": "100",
        "budget_merchant": "800",
        "stock": "40",
        "per_customer_limit": "2",
        "price": "0",
        "valid_days": "14",
    }
    refused = submit(owner, edit, edit, fields | {"stock": "0"}, page=form.text)
    assert refused.status_code == 422 and 'id="f-stock-error"' in refused.text
    assert 'value="午市立减8元"' in refused.text  # what was typed stays
    saved = submit(owner, edit, edit, fields)
    assert (saved.status_code, saved.headers["location"]) == (303, page)
    campaign = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert (campaign["name"], campaign["value"], campaign["stock"]) == ("午市立减8元", 800, 40)
    assert (campaign["budget"]["merchant"], campaign["per_customer_limit"], campaign["valid_days"]) == (
        80_000,
        2,
        14,
    )
    assert "活动已保存" in owner.get(page).text
    assert submit(owner, page, f"{page}/submit", {}).status_code == 303
    assert f'href="{edit}"' not in owner.get(page).text
    late = submit(owner, edit, edit, fields | {"name": "改名"})
    assert late.status_code == 409 and "改名" not in owner.get(page).text


def test_the_campaigns_page_names_the_bank_funded_offers_at_the_owners_stores(
    app: FastAPI, shop: Market
) -> None:
    owner = browser(app, shop.till.owner)
    empty = owner.get(CAMPAIGNS).text
    assert "银行为你的门店出资的活动" in empty and "目前没有覆盖你门店的银行活动" in empty
    shop.live(by_bank=True, name="银行周末满减", funding={"hq": 100}, budget={"hq": 50_000})
    shop.live(
        name="双方出资立减",
        funding={"merchant": 40, "branch": 60},
        budget={"merchant": 4_000, "branch": 6_000},
    )
    listing = owner.get(CAMPAIGNS).text
    section = listing[listing.index("银行为你的门店出资的活动") :]
    assert "银行周末满减" in section and "银行全额承担" in section
    assert "双方出资立减" in section and "银行承担 60%" in section and "你承担 40%" in section
    assert "适用门店：" in section and "cmp_" not in section and "sto_" not in section
    assert shop.officer(Role.HQ_MARKETING)  # the bank's people exist; their pages are elsewhere
