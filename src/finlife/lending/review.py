"""What the pages show beside the API's answers: an application's decision rules as results (the
review queue), the portfolio by classification, and the schedule the customer signs.

The rules' results are the same figures ``decisions`` refuses on, computed without refusing: an
application in the queue has passed the submission rules, but an officer wants the margins (LTV, DTI)
and what approval still needs (the face-to-face check, the approvals counted).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.customers import service as customers
from finlife.journeys import service as journeys
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.permissions import Capability, require
from finlife.lending import products
from finlife.lending.access import load
from finlife.lending.decisions import monthly_commitment
from finlife.lending.models import Instalment, Loan, LoanProduct
from finlife.lending.reading import approvals_needed
from finlife.lending.schedule import Method, schedule
from finlife.lending.schemas import Classification, PreviewLine, ProductKind

QUEUE = ("submitted", "under_review")
ON_BOOKS = ("disbursed", "active")


@dataclass(frozen=True)
class RuleResult:
    rule: str  # ltv | dti | kyc_in_person | approvals
    passed: bool
    value: str  # the figure, as shown ("66.67 %", "1 / 2")
    limit: str  # the product's limit ("70.00 %"), or "" when there is none


@dataclass(frozen=True)
class Review:
    loan_id: str
    customer_name: str
    product_name: str
    kind: str
    status: str
    amount: int
    term_months: int
    rules: list[RuleResult]


@dataclass(frozen=True)
class PortfolioLine:
    classification: Classification
    loans: int
    principal_outstanding: int


def _percent(bp: Decimal | int) -> str:
    return f"{Decimal(bp) / 100:.2f} %"


def rule_results(session: Session, loan: Loan, product: LoanProduct) -> list[RuleResult]:
    results: list[RuleResult] = []
    if product.kind == ProductKind.MORTGAGE.value and loan.property:
        first = bool(loan.property.get("first_home", True))
        limit = product.max_ltv_first_bp if first else product.max_ltv_second_bp
        ltv = Decimal(loan.amount) * 10000 / Decimal(loan.property["price"])
        results.append(RuleResult("ltv", limit is None or ltv <= limit, _percent(ltv), _percent(limit or 0)))
    instalment = monthly_commitment(loan.amount, loan.term_months, loan.rate_bp, Method(loan.method))
    dti = Decimal(instalment) * 10000 / Decimal(loan.monthly_income)
    results.append(RuleResult("dti", dti <= product.max_dti_bp, _percent(dti), _percent(product.max_dti_bp)))
    step = journeys.step_status(session, loan.journey_id, "identity_verified")
    if step is not None:
        facts = customers.customer_facts(session, loan.customer_id)
        done = step == "done" and facts.kyc_level == "verified_in_person"
        results.append(RuleResult("kyc_in_person", done, "", ""))
    needed = approvals_needed(loan, product)
    results.append(
        RuleResult("approvals", len(loan.approvals) >= needed, f"{len(loan.approvals)} / {needed}", "")
    )
    return results


def review_queue(session: Session, actor: Actor) -> list[Review]:
    """Applications waiting for a decision, oldest first, with their rules' results."""
    require(actor, Capability.LOANS_READ)
    rows = session.execute(
        select(Loan, LoanProduct).join(LoanProduct).where(Loan.status.in_(QUEUE)).order_by(Loan.id).limit(200)
    ).all()
    return [
        Review(
            loan_id=loan.public_id,
            customer_name=customers.customer_facts(session, loan.customer_id).name,
            product_name=product.name,
            kind=product.kind,
            status=loan.status,
            amount=loan.amount,
            term_months=loan.term_months,
            rules=rule_results(session, loan, product),
        )
        for loan, product in rows
    ]


def loan_review(session: Session, actor: Actor, loan_id: str) -> Review:
    """One loan's facts as staff see them (its rules' results, whatever its state)."""
    require(actor, Capability.LOANS_READ)
    loan = load(session, actor, loan_id)
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    return Review(
        loan_id=loan.public_id,
        customer_name=customers.customer_facts(session, loan.customer_id).name,
        product_name=product.name,
        kind=product.kind,
        status=loan.status,
        amount=loan.amount,
        term_months=loan.term_months,
        rules=rule_results(session, loan, product),
    )


def portfolio(session: Session, actor: Actor) -> list[PortfolioLine]:
    """Loans on the books per classification: how many, and the principal not yet repaid (every
    instalment's principal less what was paid of it, which is what the loans' principal accounts hold)."""
    require(actor, Capability.LOANS_READ)
    counts = dict(
        session.execute(
            select(Loan.classification, func.count())
            .where(Loan.status.in_(ON_BOOKS))
            .group_by(Loan.classification)
        ).all()
    )
    owed = dict(
        session.execute(
            select(Loan.classification, func.sum(Instalment.principal - Instalment.paid_principal))
            .join(Instalment, Instalment.loan_pk == Loan.id)
            .where(Loan.status.in_(ON_BOOKS))
            .group_by(Loan.classification)
        ).all()
    )
    return [
        PortfolioLine(c, int(counts.get(c.value, 0)), int(owed.get(c.value) or 0)) for c in Classification
    ]


def signing_schedule(session: Session, actor: Actor, loan_id: str) -> tuple[int, list[PreviewLine]]:
    """The rate signing today fixes and the schedule it books: what the customer reviews before signing."""
    loan = load(session, actor, loan_id)
    product = session.get(LoanProduct, loan.product_pk)
    assert product is not None
    rate = products.rate_on(session, product.reference_rate, clock.business_day()) + loan.spread_bp
    lines = schedule(loan.amount, loan.term_months, rate, Method(loan.method))
    return rate, [
        PreviewLine(n=x.n, principal=x.principal, interest=x.interest, total=x.total) for x in lines
    ]


def product_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(LoanProduct.public_id, LoanProduct.name)).all())


def reference_rate_today(session: Session, name: str) -> int:
    return products.rate_on(session, name, clock.business_day())
