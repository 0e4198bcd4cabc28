"""The book's settlement-account line against the bank statement: settlements match by the bank's
entry, owner entries by day and amount, and the rest is listed on its side."""

from __future__ import annotations

from datetime import timedelta

from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.books.support import book, drain, get
from tests.payments.support import card, order_of, payer, tender
from tests.settlement.support import D, Shop, fee, settle, shanghai


def test_differences_between_the_book_and_the_statement_are_listed(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    shop.at(shanghai(D, 12))
    bank._teller = None
    who = payer(bank, 100_000)
    assert (
        tender(client, shop.till, order_of(client, shop.till, 20_000), card(who, 20_000)).status_code == 201
    )
    # Money paid into the settlement account that the book does not know of.
    moved = bank.transfer(who.token, who.account_id, shop.settlement_account_id, 3_000)
    assert moved.status_code == 201, moved.text
    shop.at(shanghai(D + timedelta(days=1), 10))
    assert settle(client, shop.admin(), D).status_code == 201
    # An expense the owner says was paid from the account, but the bank never saw.
    assert (
        book(
            client,
            shop.owner,
            shop.merchant_id,
            category="rent",
            amount=1_200,
            date=D + timedelta(days=1),
            via="bank",
        ).status_code
        == 201
    )
    drain(db)
    answer = get(client, shop.owner, shop.merchant_id, "reconciliation", from_=D, to=D + timedelta(days=1))
    assert answer.status_code == 200, answer.text
    report = answer.json()
    net = 20_000 - fee(settings, 20_000)
    assert report["matched"] == 1
    assert report["book_total"] == net - 1_200
    assert report["bank_total"] == net + 3_000
    differences = {(d["kind"], d["book_amount"], d["bank_amount"]) for d in report["differences"]}
    assert differences == {("missing_in_books", None, 3_000), ("missing_in_bank", -1_200, None)}
