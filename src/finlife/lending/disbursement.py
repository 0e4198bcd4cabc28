"""Paying a signed loan out: to the developer's escrow account for a property bought from a partner
developer, otherwise to the customer's repayment account.

One balanced entry: the loan's own principal account (an asset, opened now) is debited with the
amount and the receiving deposit credited; the product's fee, if any, is taken from the repayment
account to fee income in the same entry. The loan row is locked first, so two disbursements of one
loan pay once: the second finds it disbursed and answers it as it is.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.journeys import service as journeys
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.permissions import Capability, require
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind, BankPurpose, Line
from finlife.lending import products
from finlife.lending.access import load
from finlife.lending.applications import require_status
from finlife.lending.events import emit
from finlife.lending.models import Instalment, Loan
from finlife.lending.reading import loan_out
from finlife.lending.schedule import Method, due_dates, schedule
from finlife.lending.schemas import LoanOut

PAID_OUT = ("disbursed", "active", "closed", "written_off")


def disburse(session: Session, actor: Actor, loan_id: str) -> LoanOut:
    require(actor, Capability.LOANS_SERVE)
    loan = load(session, actor, loan_id, lock=True)
    if loan.status in PAID_OUT:
        return loan_out(session, loan)  # already paid out: nothing moves again
    require_status(loan, "disburse", "signed")
    target = products.escrow_of(session, loan.developer_partner_id) if loan.developer_partner_id else None
    target = target or loan.repayment_account_id
    receiving = accounts.account_facts(session, target).ledger_account_id
    principal = ledger.open_account(
        session,
        code=f"loan:{loan.public_id}",
        name=f"loan {loan.public_id}",
        kind=AccountKind.ASSET,
        currency=loan.currency,
    )
    lines = [Line(principal.id, loan.amount, loan.currency), Line(receiving, -loan.amount, loan.currency)]
    if loan.fee:
        payer = accounts.account_facts(session, loan.repayment_account_id).ledger_account_id
        fees = ledger.bank_account(session, BankPurpose.FEE_INCOME, loan.currency)
        lines += [Line(payer, loan.fee, loan.currency), Line(fees.id, -loan.fee, loan.currency)]
    ledger.post(
        session,
        actor,
        kind="loan_disbursement",
        lines=lines,
        memo=f"loan {loan.public_id}",
        details={"loan_id": loan.public_id, "to": target},
    )
    value_date = clock.business_day()
    book_schedule(session, loan, value_date)
    loan.status, loan.disbursed_at, loan.value_date = "disbursed", clock.now(), value_date
    loan.disbursed_to, loan.ledger_account_id, loan.serviced_through = target, principal.id, value_date
    session.flush()
    journeys.mark(session, actor, loan.journey_id, "disburse")
    emit(session, actor, loan, "loan.disbursed", to_account_id=target)
    return loan_out(session, loan)


def book_schedule(session: Session, loan: Loan, value_date: date) -> None:
    lines = schedule(loan.amount, loan.term_months, loan.rate_bp, Method(loan.method))
    dates = due_dates(value_date, len(lines))
    starts = [value_date, *dates[:-1]]
    session.add_all(
        Instalment(
            loan_pk=loan.id,
            n=line.n,
            period_start=start,
            due_date=due,
            principal=line.principal,
            interest=line.interest,
            paid_principal=0,
            paid_interest=0,
            status="scheduled",
        )
        for line, start, due in zip(lines, starts, dates, strict=True)
    )
    loan.current_n, loan.accrued = 1, 0
