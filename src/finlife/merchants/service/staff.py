"""A merchant's people: the owner creates cashier logins limited to chosen stores."""

from __future__ import annotations

import secrets
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity import service as identity
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.merchants.errors import InvalidStores, NotOnYourself
from finlife.merchants.models import MemberStore, MerchantMember, Store
from finlife.merchants.schemas import MemberRole, StaffOut, StaffPasswordOut, StaffStatus
from finlife.merchants.service.access import access_to, load_merchant, record_change
from finlife.settings import Settings


def _out(member: MerchantMember, merchant_id: str, store_ids: list[str] | None) -> StaffOut:
    return StaffOut(
        id=member.public_id,
        merchant_id=merchant_id,
        user_id=member.user_id,
        username=member.username,
        name=member.name,
        role=MemberRole(member.role),
        store_ids=store_ids,
        status=StaffStatus.ACTIVE if member.disabled_at is None else StaffStatus.DISABLED,
        created_at=member.created_at,
    )


def add_staff(
    session: Session,
    settings: Settings,
    actor: Actor,
    merchant_id: str,
    *,
    username: str,
    password: str,
    name: str,
    store_ids: list[str],
) -> StaffOut:
    """The owner creates a cashier login (role cashier) that works in the given stores of this merchant."""
    merchant = load_merchant(session, merchant_id)
    access_to(session, actor, merchant, manage=True)
    wanted = sorted(set(store_ids))
    stores = dict(
        session.execute(
            select(Store.public_id, Store.id).where(
                Store.merchant_pk == merchant.id, Store.public_id.in_(wanted)
            )
        ).all()
    )
    if not wanted or len(stores) != len(wanted):
        raise InvalidStores()  # another merchant's store is as unknown here as a made-up one
    user = identity.create_user(session, settings, username=username, password=password, roles=[Role.CASHIER])
    member = MerchantMember(
        public_id=new_id("mst"),
        merchant_pk=merchant.id,
        user_id=user.id,
        username=user.username,
        name=" ".join(name.split()),
        role=MemberRole.CASHIER.value,
        created_at=clock.now(),
    )
    session.add(member)
    session.flush()
    session.add_all(MemberStore(member_pk=member.id, store_pk=stores[sid]) for sid in wanted)
    session.flush()
    facts = {
        "merchant_id": merchant.public_id,
        "user_id": user.id,
        "username": user.username,
        "store_ids": wanted,
    }
    record_change(
        session, actor, "merchant.staff_added", subject_type="staff", subject_id=member.public_id, facts=facts
    )
    return _out(member, merchant.public_id, wanted)


def list_staff(session: Session, actor: Actor, merchant_id: str, params: PageParams) -> Page[StaffOut]:
    """The merchant's people (owner and cashiers), newest first, for the owner and bank staff."""
    merchant = load_merchant(session, merchant_id)
    access = access_to(session, actor, merchant)
    if access.role == MemberRole.CASHIER:
        raise Forbidden()
    stmt = select(MerchantMember).where(MerchantMember.merchant_pk == merchant.id)
    rows, has_more = paginate(
        session, stmt, id_column=MerchantMember.id, public_id_column=MerchantMember.public_id, params=params
    )
    stores: dict[int, list[str]] = defaultdict(list)
    if rows:
        links = session.execute(
            select(MemberStore.member_pk, Store.public_id)
            .join(Store, Store.id == MemberStore.store_pk)
            .where(MemberStore.member_pk.in_([m.id for m in rows]))
            .order_by(Store.public_id)
        ).all()
        for member_pk, store_id in links:
            stores[member_pk].append(store_id)
    data = [_out(m, merchant.public_id, None if m.role == MemberRole.OWNER else stores[m.id]) for m in rows]
    return Page[StaffOut](data=data, has_more=has_more)


# A temporary password the owner reads out or writes down: no 0/O, 1/l/I, so it is copied right.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
TEMPORARY_LENGTH = 12  # 54^12 ≈ 6·10^20, far beyond guessing under the sign-in throttle


def _managed_member(
    session: Session, actor: Actor, merchant_id: str, staff_id: str
) -> tuple[MerchantMember, str, list[str] | None]:
    """One of the merchant's people, locked, for its owner to manage; never the owner themself."""
    merchant = load_merchant(session, merchant_id)
    access_to(session, actor, merchant, manage=True)
    member = session.execute(
        select(MerchantMember)
        .where(MerchantMember.merchant_pk == merchant.id, MerchantMember.public_id == staff_id)
        .with_for_update()
    ).scalar_one_or_none()
    if member is None:
        raise NotFound("staff")  # another merchant's people are as unknown as made-up ones
    if member.user_id == actor.user_id or member.role == MemberRole.OWNER:
        raise NotOnYourself()
    stores = sorted(
        session.execute(
            select(Store.public_id)
            .join(MemberStore, MemberStore.store_pk == Store.id)
            .where(MemberStore.member_pk == member.id)
        ).scalars()
    )
    return member, merchant.public_id, stores


def set_staff_enabled(
    session: Session, actor: Actor, merchant_id: str, staff_id: str, *, enabled: bool
) -> StaffOut:
    """The owner disables a cashier (they can no longer sign in, and the tokens they hold reach nothing
    of the merchant) or enables them again. Doing it twice changes nothing and records nothing."""
    member, merchant_public_id, stores = _managed_member(session, actor, merchant_id, staff_id)
    if (member.disabled_at is None) != enabled:
        member.disabled_at = None if enabled else clock.now()
        identity.set_sign_in_allowed(session, member.user_id, allowed=enabled)
        session.flush()
        event = "merchant.staff_enabled" if enabled else "merchant.staff_disabled"
        facts = {"merchant_id": merchant_public_id, "user_id": member.user_id, "username": member.username}
        record_change(session, actor, event, subject_type="staff", subject_id=member.public_id, facts=facts)
    return _out(member, merchant_public_id, stores)


def reset_staff_password(
    session: Session, settings: Settings, actor: Actor, merchant_id: str, staff_id: str
) -> StaffPasswordOut:
    """The owner gives a cashier a new password, drawn at random and answered once (it is stored only
    hashed); a sign-in frozen by failed tries opens again with it."""
    member, merchant_public_id, stores = _managed_member(session, actor, merchant_id, staff_id)
    password = "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(TEMPORARY_LENGTH))
    identity.set_password(session, settings, member.user_id, password)
    identity.unlock_sign_in(session, settings, member.user_id)
    facts = {"merchant_id": merchant_public_id, "user_id": member.user_id, "username": member.username}
    record_change(
        session,
        actor,
        "merchant.staff_password_reset",
        subject_type="staff",
        subject_id=member.public_id,
        facts=facts,
    )
    return StaffPasswordOut(staff=_out(member, merchant_public_id, stores), temporary_password=password)
