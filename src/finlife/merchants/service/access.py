"""Who may see and manage which merchant, and the record of every change (audit and outbox).

A merchant's people are rows of ``merchant_members``: the owner sees and manages everything of the
merchant; a cashier sees the merchant and only the stores they are assigned to, and manages nothing.
Bank staff who serve merchants (teller, bank_admin) read everything and decide applications (those
checks live in onboarding). Anyone else gets 404, so another merchant's objects are not revealed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.permissions import Capability, may
from finlife.merchants.errors import MerchantNotActive
from finlife.merchants.models import MemberStore, Merchant, MerchantMember, Store
from finlife.merchants.schemas import MemberRole, MerchantAccess, MerchantStatus, StoreOut

STAFF_ROLE = "staff"  # MerchantAccess.role of bank staff reading


def load_merchant(session: Session, merchant_id: str, *, for_update: bool = False) -> Merchant:
    stmt = _MERCHANT_LOCKED if for_update else _MERCHANT
    merchant: Merchant | None = session.execute(stmt, {"merchant": merchant_id}).scalar_one_or_none()
    if merchant is None:
        raise NotFound("merchant")
    return merchant


# Built once with a bound parameter (every payment reads its merchant): keyed once, not on every call.
_MERCHANT = select(Merchant).where(Merchant.public_id == bindparam("merchant"))
_MERCHANT_LOCKED = _MERCHANT.with_for_update()


def membership(session: Session, actor: Actor, merchant_pk: int) -> MerchantMember | None:
    if actor.user_id is None:
        return None
    # A disabled member is nobody here: their tokens still in date reach nothing of the merchant.
    return session.execute(
        select(MerchantMember).where(
            MerchantMember.merchant_pk == merchant_pk,
            MerchantMember.user_id == actor.user_id,
            MerchantMember.disabled_at.is_(None),
        )
    ).scalar_one_or_none()


def member_store_ids(session: Session, member_pk: int) -> frozenset[str]:
    return frozenset(session.execute(_MEMBER_STORES, {"member": member_pk}).scalars())


# Statements a checkout sends several times (an order, its QR code, a card payment each check the
# seller's store): built once, so their cache keys are computed once, not on every request (building
# and keying them was about a fifth of store_access's CPU in bench/interbank.py).
# Each store's public id is a subquery on its primary key, not a join: PostgreSQL planned the join
# (a prepared statement's generic plan, two per checkout) as a hash join over a scan of every store
# of every merchant until the table was large (tests/merchants/test_member_stores_plan.py).
_MEMBER_STORES = select(
    select(Store.public_id).where(Store.id == MemberStore.store_pk).scalar_subquery()
).where(MemberStore.member_pk == bindparam("member"))


def _member_access(session: Session, merchant: Merchant, member: MerchantMember) -> MerchantAccess:
    stores = None if member.role == MemberRole.OWNER else member_store_ids(session, member.id)
    return MerchantAccess(
        merchant_id=merchant.public_id, role=member.role, store_ids=stores, status=merchant.status
    )


def access_to(session: Session, actor: Actor, merchant: Merchant, *, manage: bool = False) -> MerchantAccess:
    """merchant_access for a loaded merchant (see there)."""
    return _access(session, actor, merchant, membership(session, actor, merchant.id), manage=manage)


def _access(
    session: Session, actor: Actor, merchant: Merchant, member: MerchantMember | None, *, manage: bool
) -> MerchantAccess:
    """access_to with the actor's membership (None: not a member) already read."""
    if member is not None:
        access = _member_access(session, merchant, member)
    elif actor.user_id is not None and merchant.applicant_user_id == actor.user_id:
        # The applicant follows their application; they become the owner member on approval.
        access = MerchantAccess(
            merchant_id=merchant.public_id, role=MemberRole.OWNER, store_ids=None, status=merchant.status
        )
    elif may(actor, Capability.MERCHANT_RECORDS):
        access = MerchantAccess(
            merchant_id=merchant.public_id, role=STAFF_ROLE, store_ids=None, status=merchant.status
        )
    else:
        raise NotFound("merchant")
    if manage:
        if access.role != MemberRole.OWNER:
            raise Forbidden()
        if access.status != MerchantStatus.ACTIVE:
            raise MerchantNotActive()
    return access


def merchant_access(
    session: Session, actor: Actor, merchant_id: str, *, manage: bool = False
) -> MerchantAccess:
    """The actor's access to one merchant.

    Owner: every store, may manage. Cashier: only their stores. Bank staff (teller, bank_admin): read
    everything. ``manage=True`` (stores, staff, terminals, goods) is the owner's alone: a cashier or bank
    staff get 403, and a merchant that is not active yet (or was rejected) gets 409 merchant_not_active;
    approvals do not go through here. Anyone else, or a merchant's user asking about another merchant,
    gets NotFound("merchant").
    """
    return access_to(session, actor, load_merchant(session, merchant_id), manage=manage)


def store_out(store: Store, merchant_id: str) -> StoreOut:
    return StoreOut(
        id=store.public_id,
        merchant_id=merchant_id,
        name=store.name,
        address=store.address,
        district=store.district,
        latitude=micro_to_text(store.latitude_micro),
        longitude=micro_to_text(store.longitude_micro),
        category=store.category,
        opening_hours=store.opening_hours,
        status=store.status,
        created_at=store.created_at,
    )


def micro_to_text(micro: int) -> str:
    sign = "-" if micro < 0 else ""
    whole, fraction = divmod(abs(micro), 1_000_000)
    return f"{sign}{whole}.{fraction:06d}"


def load_store(session: Session, store_id: str) -> tuple[Store, Merchant]:
    row = session.execute(
        select(Store, Merchant)
        .join(Merchant, Merchant.id == Store.merchant_pk)
        .where(Store.public_id == store_id)
    ).one_or_none()
    if row is None:
        raise NotFound("store")
    return row[0], row[1]


def _store_with_member(
    session: Session, store_id: str, user_id: str | None
) -> tuple[Store, Merchant, MerchantMember | None]:
    """``load_store`` and ``membership`` in one statement (a checkout asks for a store's access twice)."""
    if user_id is None:
        return (*load_store(session, store_id), None)
    row = session.execute(_STORE_WITH_MEMBER, {"store": store_id, "user": user_id}).one_or_none()
    if row is None:
        raise NotFound("store")
    return row[0], row[1], row[2]


_STORE_WITH_MEMBER = (
    select(Store, Merchant, MerchantMember)
    .join(Merchant, Merchant.id == Store.merchant_pk)
    .outerjoin(
        MerchantMember,
        (MerchantMember.merchant_pk == Merchant.id)
        & (MerchantMember.user_id == bindparam("user"))
        & MerchantMember.disabled_at.is_(None),
    )
    .where(Store.public_id == bindparam("store"))
)


def store_access(
    session: Session, actor: Actor, store_id: str, *, manage: bool = False
) -> tuple[MerchantAccess, StoreOut]:
    """The actor's access to one store and the store: merchant_access's rules, and a cashier not
    assigned to the store (or anyone who may not see its merchant) gets NotFound("store")."""
    store, merchant, member = _store_with_member(session, store_id, actor.user_id)
    try:
        access = _access(session, actor, merchant, member, manage=manage)
    except NotFound as exc:
        raise NotFound("store") from exc
    if access.store_ids is not None and store.public_id not in access.store_ids:
        raise NotFound("store")
    return access, store_out(store, merchant.public_id)


def merchants_of(session: Session, actor: Actor) -> list[MerchantAccess]:
    """The merchants the actor works for (as owner or cashier), oldest membership first."""
    if actor.user_id is None:
        return []
    rows = session.execute(
        select(Merchant, MerchantMember)
        .join(MerchantMember, MerchantMember.merchant_pk == Merchant.id)
        .where(MerchantMember.user_id == actor.user_id, MerchantMember.disabled_at.is_(None))
        .order_by(MerchantMember.id)
    ).all()
    return [_member_access(session, merchant, member) for merchant, member in rows]


def record_change(
    session: Session, actor: Actor, event: str, *, subject_type: str, subject_id: str, facts: dict[str, Any]
) -> None:
    """Audit event and outbox event of one state change, in the change's transaction."""
    audit.record(session, actor, event, subject_type=subject_type, subject_id=subject_id, details=facts)
    outbox.publish(session, event, {f"{subject_type}_id": subject_id, **facts}, channel=actor.channel.value)


def merchants_applied_by(session: Session, customer_id: str) -> list[tuple[str, str, str]]:
    """The merchants a customer applied for and owns: (merchant id, legal name, status), oldest first."""
    rows = session.execute(
        select(Merchant.public_id, Merchant.legal_name, Merchant.status)
        .where(Merchant.customer_id == customer_id)
        .order_by(Merchant.id)
    ).all()
    return [(merchant_id, name, status) for merchant_id, name, status in rows]


def merchant_of_store(session: Session, store_id: str) -> str | None:
    """The public id of the store's merchant, or None for an unknown store (no access check)."""
    return session.execute(
        select(Merchant.public_id)
        .join(Store, Store.merchant_pk == Merchant.id)
        .where(Store.public_id == store_id)
    ).scalar_one_or_none()


def merchant_of_settlement_account(session: Session, account_id: str) -> str | None:
    """The merchant whose settlement account ``account_id`` is (the oldest, if several share it), or
    None when it is nobody's (no access check; the merchant's books use it to place fund income)."""
    return session.execute(
        select(Merchant.public_id)
        .where(Merchant.settlement_account_id == account_id)
        .order_by(Merchant.id)
        .limit(1)
    ).scalar_one_or_none()
