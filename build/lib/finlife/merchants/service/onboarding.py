"""A customer applies to become a merchant; bank staff approve or reject; merchants are read.

Approval makes the applicant the merchant's owner (role merchant_owner on their login) and opens the
merchant's pending-settlement liability in the ledger, where card and QR takings wait for settlement.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountClass, AccountStatus
from finlife.customers import service as customers
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, Forbidden
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind
from finlife.merchants.errors import (
    InvalidCreditCode,
    InvalidMcc,
    MerchantNotPending,
    OwnerUserRequired,
    SettlementAccountInvalid,
)
from finlife.merchants.models import Merchant, MerchantMember
from finlife.merchants.schemas import MemberRole, MerchantFacts, MerchantOut, MerchantStatus
from finlife.merchants.service.access import SERVING_STAFF, access_to, load_merchant, record_change

# ISO 18245 merchant category codes are four digits; [0-9], not \d, which takes full-width digits.
MCC_PATTERN = re.compile(r"[0-9]{4}")
SETTLEMENT_CURRENCY = "CNY"


def _out(merchant: Merchant) -> MerchantOut:
    return MerchantOut(
        id=merchant.public_id,
        legal_name=merchant.legal_name,
        credit_code=merchant.credit_code,
        mcc=merchant.mcc,
        category=merchant.category,
        contact=merchant.contact,
        status=MerchantStatus(merchant.status),
        owner_user_id=merchant.applicant_user_id,
        customer_id=merchant.customer_id,
        settlement_account_id=merchant.settlement_account_id,
        pending_ledger_account_id=merchant.pending_ledger_account_id,
        reject_reason=merchant.reject_reason,
        applied_at=merchant.applied_at,
        decided_at=merchant.decided_at,
    )


def _valid_credit_code(credit_code: str) -> str:
    try:
        number: str = uscc.validate(credit_code)
    # stdnum may raise more than its ValidationError on odd input; any failure is an invalid code.
    except Exception as exc:
        raise InvalidCreditCode() from exc
    return number


def _applicant(session: Session, actor: Actor, owner_user_id: str | None) -> tuple[str, str]:
    """(user id, customer id) of the applicant: the customer themself, or the login staff name."""
    if actor.has(*SERVING_STAFF):
        if owner_user_id is None:
            raise OwnerUserRequired()
        user = identity.get_user(session, owner_user_id)
        if user.customer_id is None:
            raise OwnerUserRequired()
        return user.id, user.customer_id
    if actor.user_id is None or actor.customer_id is None:
        raise Forbidden()
    if owner_user_id not in (None, actor.user_id):
        raise Forbidden()
    return actor.user_id, actor.customer_id


def _check_settlement_account(session: Session, account_id: str, customer_id: str) -> None:
    try:
        facts = accounts.account_facts(session, account_id)
    except FinlifeError as exc:
        raise SettlementAccountInvalid() from exc
    if (
        facts.customer_id != customer_id
        or facts.account_class != AccountClass.I
        or facts.status != AccountStatus.ACTIVE
        or facts.currency != SETTLEMENT_CURRENCY
    ):
        raise SettlementAccountInvalid()


def apply_merchant(
    session: Session,
    actor: Actor,
    *,
    legal_name: str,
    credit_code: str,
    mcc: str,
    category: str,
    settlement_account_id: str,
    contact: str | None = None,
    owner_user_id: str | None = None,
) -> MerchantOut:
    """A customer applies (or a teller/bank admin for them, naming their login): the unified social
    credit code must be valid, the MCC four digits, the settlement account the applicant's own active
    Class I account. The merchant waits in ``pending`` for a decision."""
    user_id, customer_id = _applicant(session, actor, owner_user_id)
    code = _valid_credit_code(credit_code)
    mcc = mcc.strip()
    if not MCC_PATTERN.fullmatch(mcc):
        raise InvalidMcc()
    _check_settlement_account(session, settlement_account_id, customer_id)
    merchant = Merchant(
        public_id=new_id("mer"),
        legal_name=" ".join(legal_name.split()),
        credit_code=code,
        mcc=mcc,
        category=category.strip(),
        contact=contact.strip() if contact else None,
        applicant_user_id=user_id,
        customer_id=customer_id,
        settlement_account_id=settlement_account_id,
        status=MerchantStatus.PENDING.value,
        applied_at=clock.now(),
    )
    session.add(merchant)
    session.flush()
    facts = {"credit_code": code, "mcc": mcc, "owner_user_id": user_id, "customer_id": customer_id}
    record_change(
        session,
        actor,
        "merchant.applied",
        subject_type="merchant",
        subject_id=merchant.public_id,
        facts=facts,
    )
    return _out(merchant)


def _pending(session: Session, actor: Actor, merchant_id: str) -> Merchant:
    actor.require(*SERVING_STAFF)
    merchant = load_merchant(session, merchant_id, for_update=True)
    if merchant.status != MerchantStatus.PENDING:
        raise MerchantNotPending()
    return merchant


def approve_merchant(session: Session, actor: Actor, merchant_id: str) -> MerchantOut:
    """Bank staff approve a pending application: the applicant's login gets merchant_owner (effective at
    their next sign-in) and becomes the owner member; the pending-settlement ledger account is opened."""
    merchant = _pending(session, actor, merchant_id)
    owner = identity.add_role(session, merchant.applicant_user_id, Role.MERCHANT_OWNER)
    name = customers.customer_facts(session, merchant.customer_id).name
    now = clock.now()
    session.add(
        MerchantMember(
            public_id=new_id("mst"),
            merchant_pk=merchant.id,
            user_id=owner.id,
            username=owner.username,
            name=name,
            role=MemberRole.OWNER.value,
            created_at=now,
        )
    )
    pending = ledger.open_account(
        session,
        code=f"merchant:{merchant.public_id}:pending:{SETTLEMENT_CURRENCY}",
        name=f"{merchant.legal_name} 待结算"[:128],
        kind=AccountKind.LIABILITY,
        currency=SETTLEMENT_CURRENCY,
    )
    merchant.pending_ledger_account_id = pending.id
    merchant.status = MerchantStatus.ACTIVE.value
    merchant.decided_at = now
    merchant.decided_by = actor.user_id
    session.flush()
    facts = {"owner_user_id": owner.id, "pending_ledger_account_id": pending.id, "mcc": merchant.mcc}
    record_change(
        session,
        actor,
        "merchant.approved",
        subject_type="merchant",
        subject_id=merchant.public_id,
        facts=facts,
    )
    return _out(merchant)


def reject_merchant(session: Session, actor: Actor, merchant_id: str, *, reason: str) -> MerchantOut:
    """Bank staff reject a pending application, with the reason the applicant will read."""
    merchant = _pending(session, actor, merchant_id)
    merchant.status = MerchantStatus.REJECTED.value
    merchant.reject_reason = reason.strip()
    merchant.decided_at = clock.now()
    merchant.decided_by = actor.user_id
    session.flush()
    facts = {"reason": merchant.reject_reason, "owner_user_id": merchant.applicant_user_id}
    record_change(
        session,
        actor,
        "merchant.rejected",
        subject_type="merchant",
        subject_id=merchant.public_id,
        facts=facts,
    )
    return _out(merchant)


def get_merchant(session: Session, actor: Actor, merchant_id: str) -> MerchantOut:
    """One merchant for its applicant, owner and cashiers, and for bank staff (others get 404)."""
    merchant = load_merchant(session, merchant_id)
    access_to(session, actor, merchant)
    return _out(merchant)


def list_merchants(
    session: Session, actor: Actor, params: PageParams, *, status: MerchantStatus | None = None
) -> Page[MerchantOut]:
    """Newest first. Bank staff see every merchant; anyone else the merchants they applied for or
    work for."""
    stmt = select(Merchant)
    if not actor.has(*SERVING_STAFF):
        if actor.user_id is None:
            raise Forbidden()
        mine = select(MerchantMember.merchant_pk).where(MerchantMember.user_id == actor.user_id)
        stmt = stmt.where(or_(Merchant.id.in_(mine), Merchant.applicant_user_id == actor.user_id))
    if status is not None:
        stmt = stmt.where(Merchant.status == status.value)
    rows, has_more = paginate(
        session, stmt, id_column=Merchant.id, public_id_column=Merchant.public_id, params=params
    )
    return Page[MerchantOut](data=[_out(m) for m in rows], has_more=has_more)


def merchant_facts(session: Session, merchant_id: str) -> MerchantFacts:
    """Name, MCC, status and ledger/settlement accounts for other modules' rules (no access check)."""
    merchant = load_merchant(session, merchant_id)
    return MerchantFacts(
        id=merchant.public_id,
        legal_name=merchant.legal_name,
        mcc=merchant.mcc,
        status=MerchantStatus(merchant.status),
        pending_ledger_account_id=merchant.pending_ledger_account_id,
        settlement_account_id=merchant.settlement_account_id,
    )
