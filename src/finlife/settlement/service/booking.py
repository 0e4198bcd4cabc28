"""Settling one merchant: every unsettled business day up to the one asked, oldest first.

Each day's pending-settlement movement (non-cash takings − non-cash refunds) plus what was carried
from the day before is the *target*; what is taken out of the pending account is the target clamped
to [0, the pending account's balance], so the account is never overdrawn:

- a negative target (refunds of earlier days' takings above the day's takings) takes nothing and is
  carried forward as a deficit that later takings make good;
- a target above the pending balance (refunds made after midnight, before the run, used some of the
  day's takings) takes what is there and carries the rest forward as still owed.

Fees accrued on the day's tenders (plus fees carried) are charged out of what is taken, as far as it
goes; the rest is carried. One balanced entry per merchant and day: debit pending by ``settled``,
credit the merchant's settlement account (its Class I deposit) by ``net``, credit the bank's fee
income by ``fees_charged``. Cash never reached the bank: it is shown, not settled.

The merchant's cursor row is locked first, so two runs at once settle each day once: the later run
waits, then finds the days settled. Days without any activity leave no statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountStatus
from finlife.audit import service as audit
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, insert_if_absent, savepoint, table_of, write_deferred
from finlife.kit.ids import new_id
from finlife.ledger import service as ledger
from finlife.ledger.errors import InsufficientFunds
from finlife.ledger.schemas import BankPurpose, Line
from finlife.merchants import service as merchants
from finlife.payments import service as payments
from finlife.settlement.models import Settlement, SettlementCursor
from finlife.settlement.schemas import SettlementOut
from finlife.settlement.service.calendar import day_bounds
from finlife.settlement.service.figures import DayFigures, by_business_day
from finlife.settlement.service.reading import settlement_out

CURRENCY = "CNY"  # merchants settle in CNY (see merchants' pending-settlement account)
# A refund committed between reading the pending balance and locking it: read again (bounded).
ATTEMPTS = 5


@dataclass(frozen=True)
class Books:
    """The three ledger accounts of a merchant's settlement."""

    pending: str
    merchant: str
    settlement_account_id: str
    fee_income: str


def _lock_cursor(session: Session, merchant_id: str) -> SettlementCursor:
    insert_if_absent(
        session,
        table_of(SettlementCursor),
        {"merchant_id": merchant_id, "settled_through": None, "carried_pending": 0, "carried_fees": 0},
        conflict_columns=["merchant_id"],
    )
    stmt = select(SettlementCursor).where(SettlementCursor.merchant_id == merchant_id)
    cursor: SettlementCursor = session.execute(
        for_update(stmt).execution_options(populate_existing=True)
    ).scalar_one()
    return cursor


def _books(session: Session, merchant_id: str) -> Books | None:
    """The merchant's accounts, or None while its settlement account cannot take money."""
    facts = merchants.merchant_facts(session, merchant_id)
    deposit = accounts.account_facts(session, facts.settlement_account_id)
    if facts.pending_ledger_account_id is None or deposit.status is not AccountStatus.ACTIVE:
        return None
    return Books(
        pending=facts.pending_ledger_account_id,
        merchant=deposit.ledger_account_id,
        settlement_account_id=deposit.id,
        fee_income=ledger.bank_account(session, BankPurpose.FEE_INCOME, CURRENCY).id,
    )


def _post(session: Session, actor: Actor, books: Books, row: Settlement, target: int, fees_due: int) -> None:
    """Take min(target, pending balance) out of pending, fees first; fill the row's outcome."""
    write_deferred(session)  # rows queued before the savepoint must not be undone with it
    for _ in range(ATTEMPTS):
        available = ledger.balance(session, books.pending).available
        row.settled = max(0, min(target, available))
        row.fees_charged = min(fees_due, row.settled)
        row.net = row.settled - row.fees_charged
        if row.settled == 0:
            return
        lines = [Line(books.pending, row.settled, CURRENCY)]
        lines += [Line(books.merchant, -row.net, CURRENCY)] if row.net else []
        lines += [Line(books.fee_income, -row.fees_charged, CURRENCY)] if row.fees_charged else []
        try:
            with savepoint(session):
                entry = ledger.post(
                    session,
                    actor,
                    kind="merchant_settlement",
                    lines=lines,
                    memo=f"settlement {row.merchant_id} {row.business_date.isoformat()}",
                    details={
                        "merchant": row.merchant_id,
                        "business_date": row.business_date.isoformat(),
                        "settlement": row.public_id,
                    },
                    hot=[books.pending],  # locked after the others (ledger.hot_accounts)
                )
        except InsufficientFunds:
            continue
        row.entry_id = entry.id
        return
    raise InsufficientFunds(extra={"account": books.pending})


def _settle_day(
    session: Session, actor: Actor, books: Books, cursor: SettlementCursor, day: date, figures: DayFigures
) -> Settlement:
    row = Settlement(
        public_id=new_id("stl"),
        merchant_id=cursor.merchant_id,
        business_date=day,
        currency=CURRENCY,
        gross=figures.gross,
        refunds=figures.refunds,
        fees=figures.fees,
        carried_in_pending=cursor.carried_pending,
        carried_in_fees=cursor.carried_fees,
        cash_gross=figures.cash_gross,
        cash_refunds=figures.cash_refunds,
        tenders=[line.model_dump() for line in figures.tenders()],
        settlement_account_id=books.settlement_account_id,
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    target = figures.gross - figures.refunds + cursor.carried_pending
    fees_due = figures.fees + cursor.carried_fees
    _post(session, actor, books, row, target, fees_due)
    row.carried_out_pending = target - row.settled
    row.carried_out_fees = fees_due - row.fees_charged
    cursor.carried_pending, cursor.carried_fees = row.carried_out_pending, row.carried_out_fees
    session.add(row)
    session.flush()
    _record(session, actor, row)
    return row


def _record(session: Session, actor: Actor, row: Settlement) -> None:
    facts = {
        "merchant_id": row.merchant_id,
        "business_date": row.business_date.isoformat(),
        "gross": row.gross,
        "refunds": row.refunds,
        "settled": row.settled,
        "fees_charged": row.fees_charged,
        "net": row.net,
        "carried_out_pending": row.carried_out_pending,
        "carried_out_fees": row.carried_out_fees,
        "entry_id": row.entry_id,
    }
    audit.record(
        session,
        actor,
        "settlement.completed",
        subject_type="settlement",
        subject_id=row.public_id,
        details=facts,
    )
    outbox.publish(
        session,
        "settlement.completed",
        {"settlement_id": row.public_id, **facts},
        channel=actor.channel.value,
    )


def settle_merchant(
    session: Session, actor: Actor, merchant_id: str, through: date
) -> list[SettlementOut] | None:
    """Settle every unsettled business day of the merchant up to ``through`` (see the module doc).

    Returns the new statements ([] when all was settled already or nothing happened), or None when
    the merchant's settlement account cannot take money now: nothing moves and the next run retries.
    """
    cursor = _lock_cursor(session, merchant_id)
    if cursor.settled_through is not None and cursor.settled_through >= through:
        return []
    books = _books(session, merchant_id)
    if books is None:
        return None
    since = (
        None if cursor.settled_through is None else day_bounds(cursor.settled_through + timedelta(days=1))[0]
    )
    activity = payments.merchant_activity(session, merchant_id, since=since, until=day_bounds(through)[1])
    rows = [
        _settle_day(session, actor, books, cursor, day, figures)
        for day, figures in by_business_day(activity).items()
    ]
    cursor.settled_through = through
    session.flush()
    return [settlement_out(row) for row in rows]
