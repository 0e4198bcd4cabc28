"""One loan's business day, as ``loans run-day`` applies it (the rules; ``servicing`` runs them).

The rules work on plain records of the loan and of its unpaid instalments (``LoanState``, ``Due``),
read in bulk for a chunk of loans and written back in bulk (``servicing_store``): building an ORM
object for each of a hundred thousand loans a day cost more than the rules themselves.

Per day: a disbursed loan becomes active; penalty interest accrues on overdue principal at the
contract rate + the product's markup, per day on 360 a year; the current instalment accrues its
interest × days elapsed / days of the period (rounded down), so on its due date exactly its interest;
on the due date it falls due; what is due (penalty first, then each overdue instalment's interest,
then its principal) is collected from the repayment account, as much as it holds, the rest being
arrears; days past due count from the oldest unpaid due date and give the classification; reminders
are recorded as customer interactions; a floating-rate loan is repriced on its repricing date
(``repricing``); a loan with nothing left to pay is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy.orm import Session

from finlife.customers import service as customers
from finlife.kit.auth import Actor
from finlife.ledger import service as ledger
from finlife.ledger.schemas import Line
from finlife.lending.events import emit, interest_paid
from finlife.lending.schemas import Classification

SERVICED = ("disbursed", "active")
REMIND_BEFORE_DAYS = 3
REMIND_PAST_DUE = (1, 7, 30)


def classify(days_past_due: int) -> Classification:
    """The 2023 rules on financial assets' risk classification, by days past due: 0 正常, 1–90 关注,
    91–270 次级, 271–360 可疑, over 360 损失."""
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


@dataclass(slots=True)
class LoanState:
    """A loan's columns that servicing reads or changes (names as on ``Loan``, so events take it)."""

    pk: int
    public_id: str
    customer_id: str
    partner_id: str | None
    developer_partner_id: str | None
    journey_id: str
    status: str
    currency: str
    amount: int
    method: str
    rate_bp: int
    spread_bp: int
    penalty_markup_pct: int
    repayment_account_id: str
    ledger_account_id: str | None
    product_pk: int
    value_date: date | None
    current_n: int
    accrued: int
    penalty_due: int
    oldest_unpaid_due: date | None
    days_past_due: int
    classification: str
    serviced_through: date | None


@dataclass(slots=True)
class Due:
    """An instalment not yet paid; ``changed`` marks the ones to write back."""

    pk: int
    loan_pk: int
    n: int
    period_start: date
    due_date: date
    principal: int
    interest: int
    paid_principal: int
    paid_interest: int
    status: str
    changed: bool = False


@dataclass(slots=True)
class Paying:
    """The repayment account of a loan that may collect today: its ledger account and whether the
    account is active (a frozen or closed one pays nothing)."""

    ledger_account_id: str
    active: bool


@dataclass
class Chunk:
    """What one unit of work of run-day adds up, and the bank's accounts its entries use."""

    actor: Actor
    receivable_id: str
    accrued: int = 0
    collected: int = 0
    collections: int = 0


def one_day(
    session: Session,
    chunk: Chunk,
    loan: LoanState,
    rows: list[Due],
    last_n: int,
    paying: Paying | None,
    day: date,
) -> None:
    actor = chunk.actor
    if loan.status == "disbursed":
        loan.status = "active"
        emit(session, actor, loan, "loan.activated")
    overdue_principal = sum(r.principal - r.paid_principal for r in rows if r.status == "overdue")
    if overdue_principal:
        penalty = daily_penalty(overdue_principal, loan.rate_bp, loan.penalty_markup_pct)
        loan.penalty_due += penalty
        chunk.accrued += penalty
    current = next((r for r in rows if r.n == loan.current_n), None)
    if current is not None and current.period_start < day <= current.due_date:
        days = (current.due_date - current.period_start).days
        target = current.interest * (day - current.period_start).days // days
        delta = max(0, target - loan.accrued)
        loan.accrued += delta
        chunk.accrued += delta
        if day == current.due_date:
            current.status, current.changed = "overdue", True  # due now; paid in full below, or in arrears
            loan.current_n += 1
            loan.accrued = 0
    if paying is not None and any(r.status == "overdue" for r in rows):
        collect(session, chunk, loan, rows, paying, day)
    unpaid = [r.due_date for r in rows if r.status == "overdue"]
    before = loan.days_past_due
    loan.oldest_unpaid_due = min(unpaid) if unpaid else None
    loan.days_past_due = (day - loan.oldest_unpaid_due).days if loan.oldest_unpaid_due else 0
    loan.classification = classify(loan.days_past_due).value
    if day in unpaid:
        emit(session, actor, loan, "loan.payment_missed", due_date=day.isoformat())
    _remind(session, actor, loan, rows, before, day)
    if loan.current_n > last_n and all(r.status == "paid" for r in rows) and loan.penalty_due == 0:
        loan.status = "closed"
        emit(session, actor, loan, "loan.closed")


def _remind(session: Session, actor: Actor, loan: LoanState, rows: list[Due], before: int, day: date) -> None:
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


def may_collect(loan: LoanState, rows: list[Due], day: date) -> bool:
    """Whether the loan can collect on a day it is serviced for, up to ``day``: something is overdue,
    or an instalment falls due on one of those days."""
    first = loan.serviced_through + timedelta(days=1) if loan.serviced_through else day
    return loan.penalty_due > 0 or any(r.status == "overdue" or first <= r.due_date <= day for r in rows)


def collect(
    session: Session, chunk: Chunk, loan: LoanState, rows: list[Due], paying: Paying, day: date
) -> None:
    """Take what is due, as much as the account holds: one balanced entry (the deposit against the
    loan's principal and the interest receivable). The account was locked for the chunk, so its
    balance here is the one the entry is checked against."""
    due = loan.penalty_due + sum(
        r.interest - r.paid_interest + r.principal - r.paid_principal for r in rows if r.status == "overdue"
    )
    available = 0
    if paying.active:
        account = ledger.lock_accounts(session, [paying.ledger_account_id])[paying.ledger_account_id]
        available = account.normal() - account.held
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
        r.changed = True
        if r.paid_interest == r.interest and r.paid_principal == r.principal:
            r.status = "paid"
    assert loan.ledger_account_id is not None
    lines = [Line(paying.ledger_account_id, take, loan.currency)]
    if principal:
        lines.append(Line(loan.ledger_account_id, -principal, loan.currency))
    if interest + penalty:
        lines.append(Line(chunk.receivable_id, -(interest + penalty), loan.currency))
    ledger.post(
        session,
        chunk.actor,
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
    chunk.collected += take
    chunk.collections += 1
    emit(
        session,
        chunk.actor,
        loan,
        "loan.instalment_collected",
        amount_collected=take,
        principal=principal,
        interest=interest,
        penalty=penalty,
        date=day.isoformat(),
    )
    if interest + penalty:
        interest_paid(session, chunk.actor, loan, interest + penalty, day)
