"""Applications: submitted by the customer, by a teller for them, or by a partner under their consent;
then documents, the face-to-face identity check, an officer's decision (four eyes), the signature.

States: submitted → under_review → approved | rejected → signed → disbursed → active → closed |
written_off; withdrawn before signing. The entrant is whoever submitted it (a user's or a partner's
id); no officer approves or rejects what they entered.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.customers import service as customers
from finlife.journeys import service as journeys
from finlife.kit.auth import Actor, Channel, require_channel
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, Forbidden, NotFound, RuleViolation
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, may, require
from finlife.lending import decisions, products
from finlife.lending.access import is_owner, load
from finlife.lending.events import LOAN_JOURNEY, MORTGAGE_JOURNEY, emit
from finlife.lending.models import Loan, LoanProduct
from finlife.lending.reading import application_out, approvals_needed
from finlife.lending.schedule import Method
from finlife.lending.schemas import ApplicationIn, ApplicationOut, ProductKind


class LoanStateInvalid(FinlifeError):
    code = "loan_state_invalid"
    status = 409

    def __init__(self, loan: Loan, action: str) -> None:
        super().__init__(params={"status": loan.status, "action": action})


def require_status(loan: Loan, action: str, *statuses: str) -> None:
    if loan.status not in statuses:
        raise LoanStateInvalid(loan, action)


def _applicant(actor: Actor, body: ApplicationIn) -> str:
    """Whose application this is: the partner's consenting customer, the signed-in customer, or the
    customer a member of staff names."""
    if actor.grant is not None:
        if actor.grant.customer_id is None or not actor.grant.allows("loans:apply"):
            raise Forbidden()
        return actor.grant.customer_id
    if actor.is_staff:
        require(actor, Capability.LOANS_SERVE)
        if body.customer_id is None:
            raise RuleViolation("loan_customer_required", field="customer_id")
        return body.customer_id
    if actor.customer_id is None:
        raise Forbidden()
    return actor.customer_id


def _check_repayment_account(actor: Actor, session: Session, customer_id: str, account_id: str) -> None:
    try:
        facts = accounts.account_facts(session, account_id)
    except NotFound:
        facts = None
    outside_consent = actor.grant is not None and account_id not in actor.grant.account_ids
    if facts is None or facts.customer_id != customer_id or facts.status != "active" or outside_consent:
        raise RuleViolation("loan_repayment_account_invalid", field="repayment_account_id")


def submit(session: Session, actor: Actor, body: ApplicationIn) -> ApplicationOut:
    customer_id = _applicant(actor, body)
    product = products.load_product(session, body.product_id)
    decisions.check_terms(product, body.amount, body.term_months, body.method)
    prop = body.property
    decisions.check_ltv(product, body.amount, prop.price if prop else None, prop.first_home if prop else True)
    developer = prop.developer_partner_id if prop else None
    if developer is not None:
        products.require_active_partner(session, developer)
    _check_repayment_account(actor, session, customer_id, body.repayment_account_id)
    today = clock.business_day()
    rate_bp = products.rate_on(session, product.reference_rate, today) + product.spread_bp
    decisions.check_dti(
        session,
        product,
        customer_id,
        decisions.monthly_commitment(body.amount, body.term_months, rate_bp, body.method),
        body.monthly_income,
    )
    try:
        birth_date = _customer_birth_date(session, customer_id)
    except NotFound:
        raise RuleViolation("loan_customer_required", field="customer_id") from None
    decisions.check_age(birth_date, today, body.term_months, required=False)
    public_id = new_id("lon")
    mortgage = product.kind == ProductKind.MORTGAGE.value
    journey_id = journeys.start(
        session,
        actor,
        MORTGAGE_JOURNEY if mortgage else LOAN_JOURNEY,
        subject_id=public_id,
        customer_id=customer_id,
        partner_id=actor.partner_id,
    )
    loan = Loan(
        public_id=public_id,
        product_pk=product.id,
        customer_id=customer_id,
        status="submitted",
        currency=product.currency,
        amount=body.amount,
        term_months=body.term_months,
        method=body.method.value,
        rate_bp=rate_bp,
        spread_bp=product.spread_bp,
        penalty_markup_pct=product.penalty_markup_pct,
        fee=product.fee,
        repayment_account_id=body.repayment_account_id,
        monthly_income=body.monthly_income,
        property=prop.model_dump(mode="json") if prop else None,
        developer_partner_id=developer,
        partner_id=actor.partner_id,
        entered_by=journeys.who(actor),
        journey_id=journey_id,
        documents=[],
        approvals=[],
        current_n=1,
        accrued=0,
        penalty_due=0,
        days_past_due=0,
        classification="normal",
        created_at=clock.now(),
    )
    session.add(loan)
    session.flush()
    journeys.mark(session, actor, journey_id, "apply")
    emit(session, actor, loan, "loan.application_submitted")
    return application_out(session, loan)


def _customer_birth_date(session: Session, customer_id: str) -> date | None:
    return customers.customer_facts(session, customer_id).birth_date


def _may_act_for_customer(actor: Actor, loan: Loan) -> bool:
    return is_owner(actor, loan) or actor.grant is not None or may(actor, Capability.LOANS_SERVE)


def record_documents(session: Session, actor: Actor, loan_id: str, documents: list[str]) -> ApplicationOut:
    loan = load(session, actor, loan_id, lock=True)
    if not _may_act_for_customer(actor, loan):
        raise Forbidden()
    require_status(loan, "documents", "submitted", "under_review")
    loan.documents = [*loan.documents, *documents]
    journeys.mark(session, actor, loan.journey_id, "documents")
    session.flush()
    return application_out(session, loan)


def verify_identity(session: Session, actor: Actor, loan_id: str) -> ApplicationOut:
    """A teller at the branch has seen the customer and their ID: the face-to-face step of a mortgage."""
    require(actor, Capability.LOANS_SERVE)
    require_channel(actor, Channel.BRANCH)
    loan = load(session, actor, loan_id, lock=True)
    require_status(loan, "identity_verified", "submitted", "under_review")
    if customers.customer_facts(session, loan.customer_id).kyc_level != "verified_in_person":
        raise RuleViolation("loan_kyc_in_person_required")
    journeys.mark(session, actor, loan.journey_id, "identity_verified")
    _to_review(session, actor, loan)
    return application_out(session, loan)


def _to_review(session: Session, actor: Actor, loan: Loan) -> None:
    if loan.status == "submitted":
        loan.status = "under_review"
        session.flush()
        emit(session, actor, loan, "loan.under_review")


def _identity_checked(session: Session, loan: Loan) -> bool:
    """Whether the journey's face-to-face step is done (journeys without that step need none)."""
    return journeys.step_status(session, loan.journey_id, "identity_verified") in (None, "done")


def _officer(actor: Actor, loan: Loan) -> None:
    require(actor, Capability.LOAN_APPROVAL)
    if journeys.who(actor) == loan.entered_by or actor.customer_id == loan.customer_id:
        raise FinlifeError("loan_approver_is_entrant", status=403)


def approve(session: Session, actor: Actor, loan_id: str) -> ApplicationOut:
    _require_staff(actor)
    loan = load(session, actor, loan_id, lock=True)
    _officer(actor, loan)
    require_status(loan, "approve", "submitted", "under_review")
    if journeys.who(actor) in loan.approvals:
        raise FinlifeError("loan_approver_already_approved", status=403)
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    decisions.check_at_approval(
        session, loan, product, clock.business_day(), _identity_checked(session, loan)
    )
    loan.approvals = [*loan.approvals, journeys.who(actor)]
    if len(loan.approvals) >= approvals_needed(loan, product):
        loan.status = "approved"
        session.flush()
        journeys.mark(session, actor, loan.journey_id, "approve")
        emit(session, actor, loan, "loan.approved")
    else:
        _to_review(session, actor, loan)
    session.flush()
    return application_out(session, loan)


def reject(session: Session, actor: Actor, loan_id: str, reason: str) -> ApplicationOut:
    _require_staff(actor)
    loan = load(session, actor, loan_id, lock=True)
    _officer(actor, loan)
    require_status(loan, "reject", "submitted", "under_review")
    loan.status, loan.decided_reason = "rejected", reason
    session.flush()
    emit(session, actor, loan, "loan.rejected", reason=reason)
    return application_out(session, loan)


def _require_staff(actor: Actor) -> None:
    if actor.grant is not None or not actor.is_staff:
        raise Forbidden()


def withdraw(session: Session, actor: Actor, loan_id: str) -> ApplicationOut:
    loan = load(session, actor, loan_id, lock=True)
    if not _may_act_for_customer(actor, loan):
        raise Forbidden()
    require_status(loan, "withdraw", "submitted", "under_review", "approved")
    loan.status = "withdrawn"
    session.flush()
    emit(session, actor, loan, "loan.withdrawn")
    return application_out(session, loan)


def sign(session: Session, actor: Actor, loan_id: str) -> ApplicationOut:
    """The customer signs in the app, or at a branch before a teller. The rate is fixed now: the
    reference rate in force today plus the product's spread; the schedule shown is the one booked."""
    loan = load(session, actor, loan_id, lock=True)
    if not is_owner(actor, loan):
        require(actor, Capability.LOANS_SERVE)
        require_channel(actor, Channel.BRANCH)
    require_status(loan, "sign", "approved")
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    loan.rate_bp = products.rate_on(session, product.reference_rate, clock.business_day()) + loan.spread_bp
    loan.status, loan.signed_by, loan.signed_at = "signed", journeys.who(actor), clock.now()
    session.flush()
    journeys.mark(session, actor, loan.journey_id, "sign")
    emit(session, actor, loan, "loan.signed", rate_bp=loan.rate_bp)
    return application_out(session, loan)


__all__ = ["Method", "approve", "record_documents", "reject", "sign", "submit", "verify_identity", "withdraw"]
