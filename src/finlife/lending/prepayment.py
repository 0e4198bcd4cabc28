"""Early repayment, part or whole, with the rest of the schedule recomputed.

The customer pays ``amount`` of principal now, with the interest the current period has accrued up to
today; the current period then runs on at the lower balance for its remaining days, and the later
instalments are recomputed: ``reduce`` keeps the number of instalments and lowers the payment,
``shorten`` keeps the payment (等额本息) or the monthly principal (等额本金) and ends sooner. The
prepaid principal is recorded on the current instalment, so the schedule's principal still sums to
the loan's amount. Refused while the loan is in arrears (pay those first).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden, RuleViolation
from finlife.kit.permissions import Capability, may
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line
from finlife.lending.access import is_owner, load
from finlife.lending.applications import require_status
from finlife.lending.events import emit, interest_paid
from finlife.lending.models import Instalment, Loan
from finlife.lending.reading import loan_out, principal_outstanding
from finlife.lending.schedule import Method, add_months, schedule
from finlife.lending.schemas import LoanOut, PrepaymentIn, PrepaymentMode


def prepay(session: Session, actor: Actor, loan_id: str, body: PrepaymentIn) -> LoanOut:
    loan = load(session, actor, loan_id, lock=True)
    if not (is_owner(actor, loan) or may(actor, Capability.LOANS_SERVE)):
        raise Forbidden()
    require_status(loan, "prepay", "disbursed", "active")
    rows = list(
        session.execute(
            select(Instalment)
            .where(Instalment.loan_pk == loan.id, Instalment.n >= loan.current_n)
            .order_by(Instalment.n)
        ).scalars()
    )
    if loan.penalty_due or loan.oldest_unpaid_due is not None:
        raise RuleViolation("loan_in_arrears")
    outstanding = principal_outstanding(session, loan)
    if body.amount > outstanding:
        raise RuleViolation("loan_prepayment_too_large", field="amount", params={"outstanding": outstanding})
    today = clock.business_day()
    current = rows[0]
    elapsed = max(0, (today - current.period_start).days)
    period = (current.due_date - current.period_start).days
    accrued_now = max(loan.accrued, current.interest * min(elapsed, period) // period)
    _book(session, actor, loan, body.amount, accrued_now)
    remaining = outstanding - body.amount
    current.paid_interest = accrued_now
    current.paid_principal = body.amount
    if remaining == 0:
        current.principal, current.interest, current.status = body.amount, accrued_now, "paid"
        session.execute(delete(Instalment).where(Instalment.loan_pk == loan.id, Instalment.n > current.n))
        loan.status, loan.accrued = "closed", 0
        session.flush()
        emit(session, actor, loan, "loan.prepaid", prepaid=body.amount, mode=body.mode.value)
        emit(session, actor, loan, "loan.closed")
    else:
        _reschedule(session, loan, rows, remaining, body, today, accrued_now)
        loan.accrued = accrued_now
        session.flush()
        emit(session, actor, loan, "loan.prepaid", prepaid=body.amount, mode=body.mode.value)
    if accrued_now:
        interest_paid(session, actor, loan, accrued_now, today)
    return loan_out(session, loan)


def _book(session: Session, actor: Actor, loan: Loan, amount: int, interest: int) -> None:
    """The deposit pays principal and interest; interest not yet accrued by run-day is income now."""
    payer = accounts.account_facts(session, loan.repayment_account_id).ledger_account_id
    receivable = ledger.bank_account(session, BankPurpose.LOAN_INTEREST_RECEIVABLE)
    income = ledger.bank_account(session, BankPurpose.LOAN_INTEREST_INCOME)
    assert loan.ledger_account_id is not None
    lines = [
        Line(payer, amount + interest, loan.currency),
        Line(loan.ledger_account_id, -amount, loan.currency),
    ]
    if loan.accrued:
        lines.append(Line(receivable.id, -loan.accrued, loan.currency))
    if interest - loan.accrued:
        lines.append(Line(income.id, -(interest - loan.accrued), loan.currency))
    ledger.post(
        session,
        actor,
        kind="loan_prepayment",
        lines=lines,
        memo=f"loan {loan.public_id}",
        details={"loan_id": loan.public_id, "principal": amount, "interest": interest},
    )


def _reschedule(
    session: Session,
    loan: Loan,
    rows: list[Instalment],
    remaining: int,
    body: PrepaymentIn,
    today: date,
    accrued_now: int,
) -> None:
    current = rows[0]
    method = Method(loan.method)
    period = (current.due_date - current.period_start).days
    share = Decimal((current.due_date - max(today, current.period_start)).days) / Decimal(period)
    months = len(rows)
    level: int | None = None
    if body.mode is PrepaymentMode.SHORTEN:
        level = (
            current.principal if method is Method.EQUAL_PRINCIPAL else current.principal + current.interest
        )
    lines = schedule(
        remaining, months, loan.rate_bp, method, first_period=share, start=current.n, payment=level
    )
    first = lines[0]
    current.principal = body.amount + first.principal
    current.interest = accrued_now + first.interest
    session.execute(delete(Instalment).where(Instalment.loan_pk == loan.id, Instalment.n > current.n))
    assert loan.value_date is not None
    previous = current.due_date
    for line in lines[1:]:
        due = add_months(loan.value_date, line.n)
        session.add(
            Instalment(
                loan_pk=loan.id,
                n=line.n,
                period_start=previous,
                due_date=due,
                principal=line.principal,
                interest=line.interest,
                paid_principal=0,
                paid_interest=0,
                status="scheduled",
            )
        )
        previous = due
