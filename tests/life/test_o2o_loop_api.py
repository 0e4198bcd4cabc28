"""The whole O2O loop through the API, as the article tells it: a customer searches, views the store,
claims a co-funded coupon, the cashier rings the order up with it, the customer pays the till's QR code,
reviews and shares — and the subsidy's ledger entry is checked to the fen."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.models import JournalEntry
from finlife.ledger.schemas import BankPurpose
from finlife.settings import Settings
from tests.factories import headers
from tests.life.support import review
from tests.marketing.support import Market, market
from tests.payments.support import order_qr, pay_qr, payer, pending_balance, trial_balance_total

XUJIAHUI = {"lat": "31.194500", "lng": "121.437000"}  # where the market's store stands


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Market:
    return market(client, db, settings)


def _subsidy_postings(shop: Market) -> dict[str, int]:
    """The coupon subsidy entry's postings by account code (debit positive)."""
    with shop.db.unit_of_work() as session:
        (entry_id,) = session.execute(
            select(JournalEntry.public_id).where(JournalEntry.kind == "coupon_subsidy")
        ).scalars()
        entry = ledger.get_entry(session, entry_id)
        return {ledger.get_account(session, p.account_id).code: p.amount for p in entry.postings}


def test_search_view_claim_order_pay_review_share(shop: Market) -> None:
    # ¥20 off three lattes (¥54): the merchant pays half, the branch 30 %, head office 20 %.
    campaign_id = shop.live(
        name="徐家汇咖啡节",
        value=2_000,
        funding={"merchant": 50, "branch": 30, "hq": 20},
        budget={"merchant": 50_000, "branch": 30_000, "hq": 20_000},
    )
    customer = payer(shop.bank, 10_000)
    mobile = headers(customer.token, channel="mobile")

    found = shop.client.get("/v1/life/merchants", params={"q": "拿铁", **XUJIAHUI}, headers=mobile).json()
    store = next(s for s in found if s["store_id"] == shop.till.store_id)
    assert campaign_id in store["coupons"]
    assert store["distance_m"] == 0
    page = shop.client.get(f"/v1/life/merchants/{shop.till.store_id}", headers=mobile).json()
    assert campaign_id in page["coupons"]

    coupon = shop.coupon(customer.person, campaign_id)
    order = shop.order(shop.lattes(3), [coupon["code"]]).json()
    assert (order["subtotal"], order["discount"], order["total"]) == (5_400, 2_000, 3_400)

    pending_before = pending_balance(shop.db, shop.till.merchant_id)
    paid = pay_qr(shop.client, customer, order_qr(shop.client, shop.till, order["id"]))
    assert paid.status_code == 201, paid.text
    assert shop.bank.balance(customer.account_id) == 10_000 - 3_400
    # The merchant is owed the full ¥54: ¥34 from the customer, ¥10 from the bank; ¥10 is its own share.
    assert pending_balance(shop.db, shop.till.merchant_id) - pending_before == 3_400 + 1_000
    assert _subsidy_postings(shop) == {
        f"bank:{BankPurpose.MARKETING_EXPENSE.value}:BRANCH:CNY": 600,
        f"bank:{BankPurpose.MARKETING_EXPENSE.value}:HQ:CNY": 400,
        f"merchant:{shop.till.merchant_id}:pending:CNY": -1_000,
    }

    reviewed = review(shop.client, customer.token, shop.till.store_id, order["id"], 5, "拿铁很香，券很实惠")
    assert reviewed.status_code == 201, reviewed.text
    shared = shop.client.post("/v1/life/shares", json={"campaign_id": campaign_id}, headers=mobile)
    assert shared.status_code == 201, shared.text
    friend, _ = shop.customer()
    visit = shop.client.get(
        f"/v1/life/shares/{shared.json()['token']}", headers=headers(friend.token, channel="mobile")
    )
    assert visit.status_code == 200, visit.text
    shop.coupon(friend, campaign_id, share_token=shared.json()["token"])
    (link,) = shop.client.get("/v1/life/shares", headers=mobile).json()
    assert (link["visits"], link["claims"]) == (1, 1)

    owner = headers(shop.till.owner)
    stats = shop.client.get(f"/v1/campaigns/{campaign_id}/stats", headers=owner).json()
    assert stats["subsidy"] == {"merchant": 1_000, "branch": 600, "hq": 400}
    assert (stats["claimed"], stats["redeemed"], stats["revenue"], stats["gross"]) == (2, 1, 3_400, 5_400)
    funnel = shop.client.get(f"/v1/campaigns/{campaign_id}/funnel", headers=owner).json()
    customers = {step["step"]: step["customers"] for step in funnel["steps"]}
    assert customers == {"search": 1, "view": 2, "claim": 2, "pay": 1, "review": 1, "share": 1}
    officer = headers(shop.officer(Role.HQ_MARKETING))
    assert shop.client.get(f"/v1/campaigns/{campaign_id}/stats", headers=officer).json() == stats
    assert trial_balance_total(shop.db) == 0
