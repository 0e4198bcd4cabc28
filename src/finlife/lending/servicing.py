"""``finlife loans run-day``: one business day of every loan paid out.

For each loan not yet serviced through the day (``serviced_through``; a loan behind by several days is
caught up day by day), in id order, a batch of loans per unit of work:
1. a disbursed loan becomes active;
2. interest accrues: the instalment of the current period has accrued its interest × days elapsed /
   days of the period (rounded down), so on its due date exactly its interest; penalty interest accrues
   on overdue principal at the contract rate + the product's markup (50 %), per day on 360 a year;
3. on its due date the instalment falls due; what is due (penalty first, then each overdue instalment's
   interest, then its principal) is collected from the repayment account, as much as it holds: what is
   left is arrears;
4. days past due count from the oldest unpaid due date, and give the classification (below);
5. reminders are recorded as customer interactions (three days before a due date; 1, 7 and 30 days
   past due); a loan with nothing left to pay is closed.
The day's accrued interest is one entry per batch (interest receivable against interest income);
each collection is one entry (the deposit against the loan's principal and the receivable). A batch
locks its loans, so two runs of one day (or a run and a prepayment) never collect one instalment
twice; ``loan_days`` keeps the last loan done, so an interrupted run resumes after it.

Classification by days past due (the 2023 rules on financial assets' risk classification): 0 正常,
1–90 关注, 91–270 次级, 271–360 可疑, over 360 损失.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.customers import service as customers
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database, insert_if_absent, table_of
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line
from finlife.lending.events import emit, interest_paid
from finlife.lending.models import Instalment, Loan, LoanDay
from finlife.lending.schemas import Classification

BATCH = 500
SERVICED = ("disbursed", "active")
REMIND_BEFORE_DAYS = 3
REMIND_PAST_DUE = (1, 7, 30)


def classify(days_past_due: int) -> Classification:
    if days_past_due == 0:
        return Classification.NORMAL
    if days_past_due <= 90:
        return Classification.SPECIAL_MENTION
    if days_past_due <= 270:
        return Classification.SUBSTANDARD
    if days_past_due <= 360:
        return Classification.DOUBTFUL
    return Classification.LOSS


def daily_penalty(overdue_principal: int, rate_bp: int, markup_pct: int) -> int:
    rate = Decimal(rate_bp) * (100 + markup_pct) / 100 / 10000
    return int((Decimal(overdue_principal) * rate / 360).quantize(Decimal(1), rounding=ROUND_HALF_UP))


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


@dataclass
class _Batch:
    actor: Actor
    accrued: int = 0
    collected: int = 0
    collections: int = 0
    receivable: str | None = None  # the bank's interest receivable, looked up once a batch

    def receivable_id(self, session: Session) -> str:
        if self.receivable is None:
            self.receivable = ledger.bank_account(session, BankPurpose.LOAN_INTEREST_RECEIVABLE).id
        return self.receivable


def to_service(session: Session, day: date) -> tuple[int, int]:
    """How many loans the day still has to service and how far a previous run of it got."""
    done = session.execute(select(LoanDay.done_through_pk).where(LoanDay.day == day)).scalar_one_or_none()
    count = session.execute(
        select(func.count()).select_from(Loan).where(Loan.status.in_(SERVICED), Loan.id > (done or 0))
    ).scalar_one()
    return int(count), int(done or 0)


def run_day(database: Database, day: date, progress: Callable[[int], None] | None = None) -> DaySummary:
    actor = Actor.system()
    summary = DaySummary(day)
    with database.unit_of_work() as session:
        _, after = to_service(session, day)
        # Two runs of one day may start together: the marker is made once.
        insert_if_absent(
            session, table_of(LoanDay), {"day": day, "done_through_pk": 0}, conflict_columns=["day"]
        )
    while True:
        with database.unit_of_work() as session:
            ids = list(
                session.execute(
                    select(Loan.id)
                    .where(Loan.status.in_(SERVICED), Loan.id > after)
                    .order_by(Loan.id)
                    .limit(BATCH)
                ).scalars()
            )
            if not ids:
                marker = session.get(LoanDay, day)
                if marker is not None and marker.finished_at is None:
                    marker.finished_at = clock.now()
                break
            batch = _Batch(actor)
            loans = session.execute(
                select(Loan).where(Loan.id.in_(ids)).order_by(Loan.id).with_for_update()
            ).scalars()
            due = [
                loan
                for loan in loans
                if loan.status in SERVICED and (loan.serviced_through is None or loan.serviced_through < day)
            ]
            # The batch's instalments that can fall due or be collected today (overdue, current, the
            # next ones a loan behind by some days will reach), in one query, not one per loan.
            unpaid: dict[int, list[Instalment]] = {loan.id: [] for loan in due}
            last_n: dict[int, int] = {}
            if due:
                behind = max((day - (loan.serviced_through or day)).days for loan in due)
                reach = behind // 28 + 2
                for row in session.execute(
                    select(Instalment)
                    .join(Loan, Loan.id == Instalment.loan_pk)
                    .where(
                        Instalment.loan_pk.in_(list(unpaid)),
                        Instalment.status != "paid",
                        Instalment.n <= Loan.current_n + reach,
                    )
                    .order_by(Instalment.loan_pk, Instalment.n)
                ).scalars():
                    unpaid[row.loan_pk].append(row)
                counts = session.execute(
                    select(Instalment.loan_pk, func.max(Instalment.n))
                    .where(Instalment.loan_pk.in_(list(unpaid)))
                    .group_by(Instalment.loan_pk)
                ).all()
                last_n = {int(pk): int(n) for pk, n in counts}
            for loan in due:
                _service(session, batch, loan, unpaid[loan.id], last_n.get(loan.id, 0), day, summary)
            _book_accrual(session, actor, batch.accrued, day)
            marker = session.get(LoanDay, day, with_for_update=True)
            if marker is not None:
                marker.done_through_pk = max(marker.done_through_pk, ids[-1])
            after = ids[-1]
            summary.loans += len(ids)
            summary.accrued += batch.accrued
            summary.collected += batch.collected
            summary.collections += batch.collections
        if progress is not None:
            progress(len(ids))
    with database.unit_of_work() as session:
        rows = session.execute(
            select(Loan.classification, func.count())
            .where(Loan.status.in_(SERVICED))
            .group_by(Loan.classification)
        ).all()
        summary.by_class = {str(c): int(n) for c, n in rows}
    return summary


def _book_accrual(session: Session, actor: Actor, amount: int, day: date) -> None:
    if amount <= 0:
        return
    receivable = ledger.bank_account(session, BankPurpose.LOAN_INTEREST_RECEIVABLE)
    income = ledger.bank_account(session, BankPurpose.LOAN_INTEREST_INCOME)
    ledger.post(
        session,
        actor,
        kind="loan_interest_accrual",
        memo=f"loan interest {day.isoformat()}",
        lines=[Line(receivable.id, amount, "CNY"), Line(income.id, -amount, "CNY")],
        details={"day": day.isoformat()},
    )


def _service(
    session: Session,
    batch: _Batch,
    loan: Loan,
    rows: list[Instalment],
    last_n: int,
    day: date,
    summary: DaySummary,
) -> None:
    start = (loan.serviced_through or day - timedelta(days=1)) + timedelta(days=1)
    current = start
    while current <= day and loan.status in SERVICED:
        _one_day(session, batch, loan, rows, last_n, current)
        current += timedelta(days=1)
    loan.serviced_through = day
    if loan.days_past_due > 0:
        summary.in_arrears += 1
    if loan.status == "closed":
        summary.closed += 1


def _one_day(
    session: Session, batch: _Batch, loan: Loan, rows: list[Instalment], last_n: int, day: date
) -> None:
    actor = batch.actor
    if loan.status == "disbursed":
        loan.status = "active"
        emit(session, actor, loan, "loan.activated")
    overdue = [r for r in rows if r.status == "overdue"]
    overdue_principal = sum(r.principal - r.paid_principal for r in overdue)
    if overdue_principal:
        penalty = daily_penalty(overdue_principal, loan.rate_bp, loan.penalty_markup_pct)
        loan.penalty_due += penalty
        batch.accrued += penalty
    current = next((r for r in rows if r.n == loan.current_n), None)
    if current is not None and current.period_start < day <= current.due_date:
        days = (current.due_date - current.period_start).days
        target = current.interest * (day - current.period_start).days // days
        delta = max(0, target - loan.accrued)
        loan.accrued += delta
        batch.accrued += delta
        if day == current.due_date:
            current.status = "overdue"  # due now; paid in full below, or in arrears
            loan.current_n += 1
            loan.accrued = 0
    if any(r.status == "overdue" for r in rows):
        _collect(session, batch, loan, rows, day)
    unpaid = [r.due_date for r in rows if r.status == "overdue"]
    before = loan.days_past_due
    loan.oldest_unpaid_due = min(unpaid) if unpaid else None
    loan.days_past_due = (day - loan.oldest_unpaid_due).days if loan.oldest_unpaid_due else 0
    loan.classification = classify(loan.days_past_due).value
    if unpaid and day in [r.due_date for r in rows if r.status == "overdue"]:
        emit(session, actor, loan, "loan.payment_missed", due_date=day.isoformat())
    if loan.days_past_due in REMIND_PAST_DUE and loan.days_past_due != before:
        customers.record_interaction(
            session,
            actor,
            loan.customer_id,
            "loan.reminder_overdue",
            {"loan_id": loan.public_id, "days_past_due": loan.days_past_due},
        )
    upcoming = next((r for r in rows if r.n == loan.current_n), None)
    if upcoming is not None and (upcoming.due_date - day).days == REMIND_BEFORE_DAYS:
        customers.record_interaction(
            session,
            actor,
            loan.customer_id,
            "loan.reminder_due",
            {
                "loan_id": loan.public_id,
                "due_date": upcoming.due_date.isoformat(),
                "amount": upcoming.principal + upcoming.interest,
            },
        )
    if loan.current_n > last_n and all(r.status == "paid" for r in rows) and loan.penalty_due == 0:
        loan.status = "closed"
        emit(session, actor, loan, "loan.closed")


def _collect(session: Session, batch: _Batch, loan: Loan, rows: list[Instalment], day: date) -> None:
    due = loan.penalty_due + sum(
        r.interest - r.paid_interest + r.principal - r.paid_principal for r in rows if r.status == "overdue"
    )
    facts = accounts.account_facts(session, loan.repayment_account_id)
    available = ledger.balance(session, facts.ledger_account_id).available if facts.status == "active" else 0
    take = min(max(available, 0), due)
    if take <= 0:
        return
    left = take
    penalty = min(left, loan.penalty_due)
    loan.penalty_due -= penalty
    left -= penalty
    interest = principal = 0
    for r in rows:
        if r.status != "overdue" or left == 0:
            continue
        part = min(left, r.interest - r.paid_interest)
        r.paid_interest += part
        interest += part
        left -= part
        part = min(left, r.principal - r.paid_principal)
        r.paid_principal += part
        principal += part
        left -= part
        if r.paid_interest == r.interest and r.paid_principal == r.principal:
            r.status = "paid"
    receivable = batch.receivable_id(session)
    assert loan.ledger_account_id is not None
    lines = [Line(facts.ledger_account_id, take, loan.currency)]
    if principal:
        lines.append(Line(loan.ledger_account_id, -principal, loan.currency))
    if interest + penalty:
        lines.append(Line(receivable, -(interest + penalty), loan.currency))
    ledger.post(
        session,
        batch.actor,
        kind="loan_collection",
        lines=lines,
        memo=f"loan {loan.public_id}",
        details={
            "loan_id": loan.public_id,
            "day": day.isoformat(),
            "principal": principal,
            "interest": interest,
            "penalty": penalty,
        },
    )
    batch.collected += take
    batch.collections += 1
    emit(
        session,
        batch.actor,
        loan,
        "loan.instalment_collected",
        amount_collected=take,
        principal=principal,
        interest=interest,
        penalty=penalty,
        date=day.isoformat(),
    )
    if interest + penalty:
        interest_paid(session, batch.actor, loan, interest + penalty, day)
