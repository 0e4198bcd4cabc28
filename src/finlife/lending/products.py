"""Loan products, the published reference rates and the developers' escrow accounts (bank admin)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, NotFound, RuleViolation
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, require
from finlife.lending.models import DeveloperEscrow, LoanProduct, ReferenceRate
from finlife.lending.schedule import Method
from finlife.lending.schemas import EscrowIn, EscrowOut, ProductIn, ProductKind, ProductOut, RateIn, RateOut
from finlife.partners.registry import service as partners


def product_out(row: LoanProduct) -> ProductOut:
    return ProductOut(
        id=row.public_id,
        name=row.name,
        kind=ProductKind(row.kind),
        currency=row.currency,
        min_amount=row.min_amount,
        max_amount=row.max_amount,
        min_term_months=row.min_term_months,
        max_term_months=row.max_term_months,
        reference_rate=row.reference_rate,
        spread_bp=row.spread_bp,
        repricing=row.repricing,
        methods=[Method(m) for m in row.methods],
        max_ltv_first_bp=row.max_ltv_first_bp,
        max_ltv_second_bp=row.max_ltv_second_bp,
        max_dti_bp=row.max_dti_bp,
        penalty_markup_pct=row.penalty_markup_pct,
        fee=row.fee,
        second_approval_above=row.second_approval_above,
        active=row.active,
    )


def create_product(session: Session, actor: Actor, body: ProductIn) -> ProductOut:
    require(actor, Capability.LOAN_PRODUCTS)
    if body.min_amount > body.max_amount:
        raise RuleViolation("loan_product_range_invalid", field="max_amount")
    if body.min_term_months > body.max_term_months:
        raise RuleViolation("loan_product_range_invalid", field="max_term_months")
    if body.kind is ProductKind.MORTGAGE and (
        body.max_ltv_first_bp is None or body.max_ltv_second_bp is None
    ):
        raise RuleViolation("loan_product_ltv_required", field="max_ltv_first_bp")
    row = LoanProduct(
        public_id=new_id("lpr"),
        **body.model_dump(mode="json"),
        active=True,
        created_by=actor.user_id or "system",
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return product_out(row)


def list_products(session: Session) -> list[ProductOut]:
    rows = session.execute(select(LoanProduct).where(LoanProduct.active).order_by(LoanProduct.id)).scalars()
    return [product_out(row) for row in rows]


def load_product(session: Session, product_id: str) -> LoanProduct:
    row = session.execute(select(LoanProduct).where(LoanProduct.public_id == product_id)).scalar_one_or_none()
    if row is None or not row.active:
        raise NotFound("loan_product")
    return row


def publish_rate(session: Session, actor: Actor, body: RateIn) -> RateOut:
    """A published rate from a day on; publishing the same day again corrects it."""
    require(actor, Capability.LOAN_PRODUCTS)
    existing = session.execute(
        select(ReferenceRate).where(
            ReferenceRate.name == body.name.value, ReferenceRate.effective_from == body.effective_from
        )
    ).scalar_one_or_none()
    if existing is None:
        session.add(
            ReferenceRate(
                name=body.name.value,
                effective_from=body.effective_from,
                rate_bp=body.rate_bp,
                created_at=clock.now(),
            )
        )
    else:
        existing.rate_bp = body.rate_bp
    session.flush()
    return RateOut(**body.model_dump())


def rate_on(session: Session, name: str, day: date) -> int:
    """The reference rate in force on ``day`` (the latest published not after it), in basis points."""
    rate = session.execute(
        select(ReferenceRate.rate_bp)
        .where(ReferenceRate.name == name, ReferenceRate.effective_from <= day)
        .order_by(ReferenceRate.effective_from.desc())
        .limit(1)
    ).scalar_one_or_none()
    if rate is None:
        raise RuleViolation("loan_reference_rate_missing", params={"name": name, "day": day.isoformat()})
    return rate


def list_rates(session: Session) -> list[RateOut]:
    rows = session.execute(
        select(ReferenceRate).order_by(ReferenceRate.name, ReferenceRate.effective_from)
    ).scalars()
    return [RateOut(name=r.name, effective_from=r.effective_from, rate_bp=r.rate_bp) for r in rows]


def require_active_partner(session: Session, partner_id: str) -> None:
    try:
        partner = partners.get_partner(session, partner_id)
    except NotFound:
        partner = None
    if partner is None or partner.status != "active":
        raise RuleViolation("loan_developer_unknown", field="property.developer_partner_id")


def set_escrow(session: Session, actor: Actor, body: EscrowIn) -> EscrowOut:
    """Name the deposit account (held at this bank by the developer) its buyers' loans are paid into."""
    require(actor, Capability.LOAN_PRODUCTS)
    require_active_partner(session, body.partner_id)
    try:
        facts = accounts.account_facts(session, body.account_id)
    except NotFound:
        raise RuleViolation("loan_escrow_account_invalid", field="account_id") from None
    if facts.status != "active":
        raise RuleViolation("loan_escrow_account_invalid", field="account_id")
    row = session.execute(
        select(DeveloperEscrow).where(DeveloperEscrow.partner_id == body.partner_id)
    ).scalar_one_or_none()
    if row is None:
        session.add(
            DeveloperEscrow(partner_id=body.partner_id, account_id=body.account_id, created_at=clock.now())
        )
    else:
        row.account_id = body.account_id
    session.flush()
    return EscrowOut(**body.model_dump())


def escrow_of(session: Session, partner_id: str) -> str:
    account = session.execute(
        select(DeveloperEscrow.account_id).where(DeveloperEscrow.partner_id == partner_id)
    ).scalar_one_or_none()
    if account is None:
        raise FinlifeError("loan_escrow_missing", status=422, params={"partner": partner_id})
    return account
