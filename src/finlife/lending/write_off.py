"""Writing off a loan the bank no longer expects to recover: ``active`` → ``written_off``.

Only a loan classified 损失 (loss: over 360 days past due) is written off, by loan officers (the
``loan_approval`` capability) giving a reason, with the approval's four eyes: never the person who
entered the application nor the borrower, and above the product's second-approval threshold (on what
is written off) a second officer; the first officer's approval is recorded and the loan stays as it
is until the second one's.

The write-off is one balanced entry: loan losses (an expense) are debited with what the loan still
carries on the books, its principal account (the outstanding principal) and the interest receivable
(interest accrued and not collected: the current period's, the penalty, and the unpaid interest of
overdue instalments) are credited, so the loan's principal account ends at zero, which is the sum of
its postings. Its unpaid instalments are marked written off; run-day no longer services it. The
partner concerned hears ``loan.written_off`` and the journey records the step.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.journeys import service as journeys
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, Forbidden, RuleViolation
from finlife.kit.permissions import Capability, require
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line
from finlife.lending.access import load
from finlife.lending.applications import require_status
from finlife.lending.events import emit
from finlife.lending.models import Instalment, Loan, LoanProduct
from finlife.lending.reading import loan_out, principal_outstanding
from finlife.lending.schemas import Classification, LoanOut

WRITTEN_OFF_STEP = "written_off"


def interest_carried(session: Session, loan: Loan) -> int:
    """The loan's part of the interest receivable: accrued in the current period, penalty, and the
    unpaid interest of its overdue instalments."""
    unpaid = session.execute(
        select(Instalment.interest, Instalment.paid_interest).where(
            Instalment.loan_pk == loan.id, Instalment.status == "overdue"
        )
    ).all()
    return loan.accrued + loan.penalty_due + sum(int(i) - int(p) for i, p in unpaid)


def approvals_needed(product: LoanProduct, amount: int) -> int:
    threshold = product.second_approval_above
    return 2 if threshold is not None and amount > threshold else 1


def write_off(session: Session, actor: Actor, loan_id: str, reason: str) -> LoanOut:
    if actor.grant is not None or not actor.is_staff:
        raise Forbidden()
    require(actor, Capability.LOAN_APPROVAL)
    loan = load(session, actor, loan_id, lock=True)
    officer = journeys.who(actor)
    if officer == loan.entered_by or actor.customer_id == loan.customer_id:
        raise FinlifeError("loan_approver_is_entrant", status=403)
    require_status(loan, "write_off", "active")
    if loan.classification != Classification.LOSS.value:
        raise RuleViolation("loan_write_off_not_loss", params={"days": loan.days_past_due})
    approvals = list(loan.write_off_approvals or [])
    if officer in approvals:
        raise FinlifeError("loan_approver_already_approved", status=403)
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    principal, interest = principal_outstanding(session, loan), interest_carried(session, loan)
    approvals.append(officer)
    loan.write_off_approvals = approvals
    loan.write_off_reason = loan.write_off_reason or reason
    if len(approvals) < approvals_needed(product, principal + interest):
        session.flush()
        return loan_out(session, loan)
    _book(session, actor, loan, principal, interest)
    session.execute(
        update(Instalment)
        .where(Instalment.loan_pk == loan.id, Instalment.status != "paid")
        .values(status="written_off")
    )
    loan.status, loan.accrued, loan.penalty_due = "written_off", 0, 0
    loan.written_off_at = clock.now()
    session.flush()
    journeys.record(session, actor, loan.journey_id, WRITTEN_OFF_STEP)
    emit(
        session,
        actor,
        loan,
        "loan.written_off",
        principal=principal,
        interest=interest,
        reason=loan.write_off_reason,
    )
    return loan_out(session, loan)


def _book(session: Session, actor: Actor, loan: Loan, principal: int, interest: int) -> None:
    if principal + interest == 0:
        return
    assert loan.ledger_account_id is not None
    losses = ledger.bank_account(session, BankPurpose.LOAN_LOSSES, loan.currency)
    lines = [Line(losses.id, principal + interest, loan.currency)]
    if principal:
        lines.append(Line(loan.ledger_account_id, -principal, loan.currency))
    if interest:
        receivable = ledger.bank_account(session, BankPurpose.LOAN_INTEREST_RECEIVABLE, loan.currency)
        lines.append(Line(receivable.id, -interest, loan.currency))
    ledger.post(
        session,
        actor,
        kind="loan_write_off",
        lines=lines,
        memo=f"loan {loan.public_id} written off",
        details={"loan_id": loan.public_id, "principal": principal, "interest": interest},
    )
