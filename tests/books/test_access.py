"""Who reaches a merchant's books: its owner reads and writes; bank staff who serve merchants read;
its cashiers see no money (403); another merchant's owner and a partner do not reach them."""

from __future__ import annotations

from finlife.kit.auth import Role
from finlife.settings import Settings
from tests.books.support import book, get
from tests.factories import headers, staff_token
from tests.partners.factories import make_consent, make_partner, partner_token
from tests.settlement.support import D, Shop, open_shop


def test_the_owner_reads_and_writes_and_serving_staff_only_read(
    client, db, settings: Settings, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    assert book(client, shop.owner, shop.merchant_id, date=D).status_code == 201
    assert (
        get(client, shop.owner, shop.merchant_id, "pnl", from_=D, to=D).json()["total"]["expenses"] == 100_000
    )
    teller = staff_token(client, db, settings, Role.TELLER)
    assert get(client, teller, shop.merchant_id, "pnl", from_=D, to=D).json()["total"]["expenses"] == 100_000
    assert get(client, teller, shop.merchant_id, "reconciliation", from_=D, to=D).status_code == 200
    assert book(client, teller, shop.merchant_id, date=D).status_code == 403
    marketing = staff_token(client, db, settings, Role.BRANCH_MARKETING)
    assert get(client, marketing, shop.merchant_id, "pnl").status_code == 403


def test_a_cashier_sees_no_money_totals(client, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    for report in ("pnl", "cashflow", "takings", "returns", "reconciliation", "entries", "categories"):
        answer = get(client, shop.cashier, shop.merchant_id, report)
        assert answer.status_code == 403, report
    assert book(client, shop.cashier, shop.merchant_id, date=D).status_code == 403


def test_another_merchant_and_a_partner_do_not_reach_the_books(
    client, db, settings: Settings, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    rival = open_shop(client, db, settings, name="对面的面馆")
    for report in ("pnl", "cashflow", "takings", "returns", "reconciliation", "entries"):
        answer = get(client, rival.owner, shop.merchant_id, report)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", report
    assert book(client, rival.owner, shop.merchant_id, date=D).status_code == 404
    # The owner consented to a partner reading their accounts: that is no key to the books.
    partner = make_partner(db, settings)
    owner_customer = client.get("/v1/me", headers=headers(shop.owner)).json()["id"]
    consent = make_consent(
        db,
        partner,
        customer_id=owner_customer,
        account_ids=[shop.settlement_account_id],
        scopes=["accounts:read"],
    )
    token = partner_token(db, partner, scopes=["accounts:read"], consent_id=consent)
    # A partner's token is no user's login: the books' routes do not know it (401), read or write.
    assert get(client, token, shop.merchant_id, "pnl").status_code == 401
    assert book(client, token, shop.merchant_id, date=D).status_code == 401
