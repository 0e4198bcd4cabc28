"""The book is written from committed events, once per event, every entry balanced."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, update

from finlife.books import service as books
from finlife.books.models import BookDayTotal, BookTotal
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
            books.book_events(session, [event])
    assert entry_count(db) == 1


def _approved(db: Database) -> list[Event]:
    with db.unit_of_work() as session:
        rows = (
            session.query(OutboxEvent)
            .filter(OutboxEvent.type == "payment.approved")
            .order_by(OutboxEvent.id)
            .all()
        )
        return [Event(r.public_id, r.type, r.payload, r.channel, r.created_at) for r in rows]


def _totals(db: Database, merchant_id: str) -> dict[tuple[str, str], tuple[int, int]]:
    with db.unit_of_work() as session:
        by_day = session.execute(
            select(BookDayTotal.account, BookDayTotal.debit, BookDayTotal.credit).where(
                BookDayTotal.merchant_id == merchant_id
            )
        )
        by_hour = session.execute(
            select(BookTotal.account, func.sum(BookTotal.debit), func.sum(BookTotal.credit))
            .where(BookTotal.merchant_id == merchant_id)
            .group_by(BookTotal.account)
        )
        return {("day", a): (int(d), int(c)) for a, d, c in by_day} | {
            ("hours", a): (int(d), int(c)) for a, d, c in by_hour
        }


def test_a_batch_books_each_new_event_once_and_sums_its_totals(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    who = payer(bank, 100_000)
    amounts = [1_000, 2_000, 3_000]
    for hour, amount in zip((10, 10, 14), amounts, strict=True):
        shop.at(shanghai(D, hour))
        assert (
            tender(client, shop.till, order_of(client, shop.till, amount), card(who, amount)).status_code
            == 201
        )
    first, *rest = _approved(db)
    with db.unit_of_work() as session:
        books.book_events(session, [first])
    with db.unit_of_work() as session:  # the first again, in a batch with the two others
        books.book_events(session, [first, *rest])
    assert entry_count(db) == 3
    assert line_total(db) == 0
    fees = sum(fee(settings, amount) for amount in amounts)
    # Each table's rows are the sums of the three entries' lines, the day's and the hours' alike.
    for place in ("day", "hours"):
        totals = _totals(db, shop.merchant_id)
        assert totals[(place, "asset:pending")] == (6_000, 0)
        assert totals[(place, "revenue:sales:card")] == (0, 6_000)
        assert totals[(place, "expense:fees")] == (fees, 0)
    assert sum(1 for place, _ in _totals(db, shop.merchant_id) if place == "day") == 4


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
