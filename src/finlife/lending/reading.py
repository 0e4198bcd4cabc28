"""A loan as the API shows it: the application with its schedule preview, the loan with its schedule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.permissions import Capability, require
from finlife.ledger import service as ledger
from finlife.lending.access import load
from finlife.lending.models import Instalment, Loan, LoanProduct
from finlife.lending.schedule import Method, schedule
from finlife.lending.schemas import (
    ApplicationOut,
    Classification,
    InstalmentOut,
    LoanOut,
    LoanStatus,
    LoanSummary,
    PreviewLine,
)


def approvals_needed(loan: Loan, product: LoanProduct) -> int:
    threshold = product.second_approval_above
    return 2 if threshold is not None and loan.amount > threshold else 1


def preview(loan: Loan) -> list[PreviewLine]:
    lines = schedule(loan.amount, loan.term_months, loan.rate_bp, Method(loan.method))
    return [PreviewLine(n=x.n, principal=x.principal, interest=x.interest, total=x.total) for x in lines]


def application_out(session: Session, loan: Loan) -> ApplicationOut:
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    return ApplicationOut(
        id=loan.public_id,
        status=LoanStatus(loan.status),
        journey_id=loan.journey_id,
        customer_id=loan.customer_id,
        product_id=product.public_id,
        amount=loan.amount,
        term_months=loan.term_months,
        method=Method(loan.method),
        rate_bp=loan.rate_bp,
        approvals=len(loan.approvals),
        approvals_needed=approvals_needed(loan, product),
        schedule_preview=preview(loan),
    )


def principal_outstanding(session: Session, loan: Loan) -> int:
    """The sum of the loan's postings: its principal account's balance."""
    if loan.ledger_account_id is None:
        return 0
    return ledger.balance(session, loan.ledger_account_id).ledger


def loan_out(session: Session, loan: Loan) -> LoanOut:
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    rows = list(
        session.execute(
            select(Instalment).where(Instalment.loan_pk == loan.id).order_by(Instalment.n)
        ).scalars()
    )
    if rows:
        lines = [
            InstalmentOut(
                n=r.n,
                due_date=r.due_date,
                principal=r.principal,
                interest=r.interest,
                paid=r.paid_principal + r.paid_interest,
                status=r.status,
            )
            for r in rows
        ]
    else:
        lines = [
            InstalmentOut(
                n=x.n, due_date=None, principal=x.principal, interest=x.interest, paid=0, status="scheduled"
            )
            for x in preview(loan)
        ]
    return LoanOut(
        id=loan.public_id,
        status=LoanStatus(loan.status),
        customer_id=loan.customer_id,
        product_id=product.public_id,
        amount=loan.amount,
        rate_bp=loan.rate_bp,
        method=Method(loan.method),
        principal_outstanding=principal_outstanding(session, loan),
        penalty_due=loan.penalty_due,
        days_past_due=loan.days_past_due,
        classification=Classification(loan.classification),
        journey_id=loan.journey_id,
        disbursed_to=loan.disbursed_to,
        value_date=loan.value_date,
        schedule=lines,
        write_off_approvals=len(loan.write_off_approvals or []),
        write_off_reason=loan.write_off_reason,
    )


def get_loan(session: Session, actor: Actor, loan_id: str) -> LoanOut:
    return loan_out(session, load(session, actor, loan_id))


def get_application(session: Session, actor: Actor, loan_id: str) -> ApplicationOut:
    return application_out(session, load(session, actor, loan_id))


def _summary(loan: Loan) -> LoanSummary:
    return LoanSummary(
        id=loan.public_id,
        status=LoanStatus(loan.status),
        customer_id=loan.customer_id,
        amount=loan.amount,
        created_at=loan.created_at,
        classification=Classification(loan.classification),
        days_past_due=loan.days_past_due,
    )


def list_loans(session: Session, actor: Actor, status: LoanStatus | None) -> list[LoanSummary]:
    """Staff: every loan (a status narrows it: the review queue is ``submitted`` and ``under_review``);
    a customer: their own."""
    stmt = select(Loan).order_by(Loan.id.desc()).limit(200)
    if actor.customer_id is not None and not actor.is_staff:
        stmt = stmt.where(Loan.customer_id == actor.customer_id)
    else:
        require(actor, Capability.LOANS_READ)
    if status is not None:
        stmt = stmt.where(Loan.status == status.value)
    return [_summary(loan) for loan in session.execute(stmt).scalars()]
