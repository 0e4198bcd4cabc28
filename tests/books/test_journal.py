"""The book is written from committed events, once per event, every entry balanced."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from finlife.books import service as books
from finlife.events.consumers import Event
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.books.support import drain, emit, entries, entry_count, get, line_total
from tests.cashier.support import pos
from tests.payments.support import card, cash, order_of, payer, refund, shift_of, tender
from tests.settlement.support import D, Shop, fee, settle, shanghai


def _republish_everything(db: Database) -> None:
    with db.unit_of_work() as session:
        session.execute(update(OutboxEvent).values(published_at=None))


def test_sales_by_tender_refunds_and_fees_are_booked_once_balanced(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 12))
    carded = order_of(client, shop.till, 10_000)
    assert tender(client, shop.till, carded, card(who, 10_000)).status_code == 201
    shift_of(client, shop.till)
    in_cash = order_of(client, shop.till, 5_000)
    assert tender(client, shop.till, in_cash, cash(5_000)).status_code == 201
    assert refund(client, shop.till, carded, 2_000).status_code == 201
    drain(db)
    charged = fee(settings, 10_000)
    assert charged > 0
    assert entries(db, shop.merchant_id) == [
        (
            "sale",
            {
                "asset:pending": 10_000,
                "revenue:sales:card": -10_000,
                "expense:fees": charged,
                "liability:fees": -charged,
            },
        ),
        ("sale", {"asset:drawer": 5_000, "revenue:sales:cash": -5_000}),
        ("refund", {"revenue:refunds:card": 2_000, "asset:pending": -2_000}),
    ]
    assert line_total(db) == 0
    # The relay delivers everything again (as after a crash before its mark): nothing is written twice.
    _republish_everything(db)
    assert drain(db) > 0
    assert entry_count(db) == 3


def test_an_event_applied_again_past_the_consumers_dedupe_still_writes_nothing(
    client, db, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 12))
    assert tender(client, shop.till, order_of(client, shop.till, 3_000), card(who, 3_000)).status_code == 201
    drain(db)
    with db.unit_of_work() as session:
        row = session.query(OutboxEvent).filter(OutboxEvent.type == "payment.approved").one()
        event = Event(
            id=row.public_id,
            type=row.type,
            payload=row.payload,
            channel=row.channel,
            created_at=row.created_at,
        )
    for _ in range(2):  # as a consumer renamed, or a second relay racing, would
        with db.unit_of_work() as session:
            books.book_event(session, event)
    assert entry_count(db) == 1


def test_settlement_clears_what_the_bank_owed_into_the_settlement_account(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 12))
    assert (
        tender(client, shop.till, order_of(client, shop.till, 20_000), card(who, 20_000)).status_code == 201
    )
    shop.at(shanghai(D + timedelta(days=1), 10))
    assert settle(client, shop.admin(), D).status_code == 201
    drain(db)
    charged = fee(settings, 20_000)
    assert entries(db, shop.merchant_id, "settlement") == [
        ("settlement", {"asset:bank": 20_000 - charged, "liability:fees": charged, "asset:pending": -20_000})
    ]


def test_the_drawer_over_and_short_at_the_close(client, db, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    shop.at(shanghai(D, 12))
    shift_id = shift_of(client, shop.till, opening_float=10_000)
    assert tender(client, shop.till, order_of(client, shop.till, 4_000), cash(4_000)).status_code == 201
    closed = client.post(
        f"/v1/shifts/{shift_id}/close", json={"counted_cash": 13_700}, headers=pos(shop.cashier)
    )
    assert closed.status_code == 200, closed.text
    drain(db)
    assert entries(db, shop.merchant_id, "over_short") == [
        ("over_short", {"asset:drawer": -300, "income:over_short": 300})
    ]


def test_fund_income_and_loan_interest_of_a_settlement_account(client, db, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    account = shop.settlement_account_id
    emit(
        db,
        "wealth.income_paid",
        {"account_id": account, "fund_id": "fnd_1", "amount": 137, "date": "2026-03-03"},
    )
    emit(
        db,
        "lending.interest_paid",
        {"account_id": account, "loan_id": "loan_1", "amount": 2_500, "date": "2026-03-04"},
    )
    emit(
        db,
        "wealth.income_paid",
        {"account_id": "acc_nobodys", "fund_id": "fnd_1", "amount": 99, "date": "2026-03-03"},
    )
    drain(db)
    assert entries(db, shop.merchant_id) == [
        ("fund_income", {"asset:funds": 137, "income:fund": -137}),
        ("loan_interest", {"expense:interest": 2_500, "asset:bank": -2_500}),
    ]
    assert entry_count(db) == 2  # the account of no merchant is ignored
    answer = get(client, shop.owner, shop.merchant_id, "pnl", from_=D, to=date(2026, 3, 4))
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"] == {
        "period": "total",
        "revenue": 0,
        "fees": 0,
        "coupon_cost": 0,
        "expenses": 2_500,
        "other_income": 137,
        "profit": -2_363,
    }
