"""``finlife loans run-day``: one business day of every loan paid out.

The loans on the books are taken in id order, a chunk (``BATCH``) per unit of work; each loan not yet
serviced through the day (``serviced_through``; a loan behind by several days is caught up day by
day) gets the day's rules (``servicing_day``: accrual, collection, arrears, penalty interest,
classification, reminders, repricing, closing). The day's accrued interest is one entry per chunk
(interest receivable against interest income); each collection is one entry (the deposit against
the loan's principal and the receivable).

Why chunks and bulk statements: the work of a loan is a few microseconds of arithmetic; what cost
the time was a round trip or an ORM object per loan. A chunk is read in three statements (the loans,
locked; their instalments; their last instalment numbers), the repayment accounts of the loans that
may collect are looked up in one more and their ledger accounts locked in one (with the loans'
principal accounts and the receivable, so each collection posts without a round trip of its own:
the ledger remembers the rows it locked for the unit of work), and the changes are written in one
statement per table with the commit.

The chunk's loans stay locked until it commits, so two runs of one day (or a run and a prepayment)
never collect one instalment twice; ``loan_days`` keeps the last loan done, so an interrupted run
resumes after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database, insert_if_absent, table_of
from finlife.kit.pipeline import start_batch_memory
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line
from finlife.lending import repricing
from finlife.lending.models import Loan, LoanDay
from finlife.lending.servicing_day import (
    SERVICED,
    Chunk,
    LoanState,
    Paying,
    classify,
    daily_penalty,
    may_collect,
    one_day,
)
from finlife.lending.servicing_store import lock_chunk, read_dues, write_chunk

BATCH = 2000
_days = table_of(LoanDay)

__all__ = ["BATCH", "DaySummary", "classify", "daily_penalty", "run_day", "to_service"]


@dataclass
class DaySummary:
    day: date
    loans: int = 0
    accrued: int = 0
    collected: int = 0
    collections: int = 0
    in_arrears: int = 0
    closed: int = 0
    by_class: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Run:
    actor: Actor
    day: date
    receivable_id: str
    income_id: str
    pricing: repricing.Pricing


def to_service(session: Session, day: date) -> tuple[int, int]:
    """How many loans the day still has to service and how far a previous run of it got."""
    done = session.execute(select(LoanDay.done_through_pk).where(LoanDay.day == day)).scalar_one_or_none()
    count = session.execute(
        select(func.count()).select_from(Loan).where(Loan.status.in_(SERVICED), Loan.id > (done or 0))
    ).scalar_one()
    return int(count), int(done or 0)


def run_day(database: Database, day: date, progress: Callable[[int], None] | None = None) -> DaySummary:
    summary = DaySummary(day)
    with database.unit_of_work() as session:
        _, after = to_service(session, day)
        # Two runs of one day may start together: the marker is made once.
        insert_if_absent(
            session, table_of(LoanDay), {"day": day, "done_through_pk": 0}, conflict_columns=["day"]
        )
        run = _Run(
            Actor.system(),
            day,
            ledger.bank_account(session, BankPurpose.LOAN_INTEREST_RECEIVABLE).id,
            ledger.bank_account(session, BankPurpose.LOAN_INTEREST_INCOME).id,
            repricing.read_pricing(session),
        )
    while True:
        with database.unit_of_work() as session:
            loans = lock_chunk(session, after, BATCH)
            if not loans:
                session.execute(
                    update(_days)
                    .where(_days.c.day == day, _days.c.finished_at.is_(None))
                    .values(finished_at=clock.now())
                )
                break
            _service_chunk(session, run, loans, summary)
            last = loans[-1].pk
            session.execute(
                update(_days)
                .where(_days.c.day == day, _days.c.done_through_pk < last)
                .values(done_through_pk=last)
            )
            after = last
            summary.loans += len(loans)
        if progress is not None:
            progress(len(loans))
    with database.unit_of_work() as session:
        rows = session.execute(
            select(Loan.classification, func.count())
            .where(Loan.status.in_(SERVICED))
            .group_by(Loan.classification)
        ).all()
        summary.by_class = {str(c): int(n) for c, n in rows}
    return summary


def _service_chunk(session: Session, run: _Run, locked: list[LoanState], summary: DaySummary) -> None:
    day = run.day
    due = [loan for loan in locked if loan.serviced_through is None or loan.serviced_through < day]
    dues, last_n = read_dues(session, due, day)
    paying = _lock_paying(session, run, [loan for loan in due if may_collect(loan, dues[loan.pk], day)])
    chunk = Chunk(run.actor, run.receivable_id)
    for loan in due:
        rows = dues[loan.pk]
        current = (loan.serviced_through or day - timedelta(days=1)) + timedelta(days=1)
        while current <= day and loan.status in SERVICED:
            one_day(session, chunk, loan, rows, last_n.get(loan.pk, 0), paying.get(loan.pk), current)
            if loan.status in SERVICED:
                repricing.reprice(session, run.actor, run.pricing, loan, rows, current)
            current += timedelta(days=1)
        loan.serviced_through = day
        if loan.days_past_due > 0:
            summary.in_arrears += 1
        if loan.status == "closed":
            summary.closed += 1
    write_chunk(session, due, [row for rows in dues.values() for row in rows])
    _book_accrual(session, run, chunk.accrued)
    summary.accrued += chunk.accrued
    summary.collected += chunk.collected
    summary.collections += chunk.collections


def _lock_paying(session: Session, run: _Run, loans: list[LoanState]) -> dict[int, Paying]:
    """The repayment accounts of the loans that may collect, their ledger accounts locked together
    with the loans' principal accounts and the receivable: the ledger remembers the rows it locked
    for this unit of work, so each collection's entry is checked and posted without reading them."""
    if not loans:
        return {}
    facts = accounts.accounts_facts(session, [loan.repayment_account_id for loan in loans])
    paying = {
        loan.pk: Paying(account.ledger_account_id, account.status == "active")
        for loan in loans
        if (account := facts.get(loan.repayment_account_id)) is not None
    }
    wanted = {run.receivable_id}
    wanted.update(x.ledger_account_id for x in paying.values())
    wanted.update(loan.ledger_account_id for loan in loans if loan.ledger_account_id is not None)
    start_batch_memory(session)
    ledger.lock_accounts(session, sorted(wanted))
    return paying


def _book_accrual(session: Session, run: _Run, amount: int) -> None:
    if amount <= 0:
        return
    ledger.post(
        session,
        run.actor,
        kind="loan_interest_accrual",
        memo=f"loan interest {run.day.isoformat()}",
        lines=[Line(run.receivable_id, amount, "CNY"), Line(run.income_id, -amount, "CNY")],
        details={"day": run.day.isoformat()},
    )
