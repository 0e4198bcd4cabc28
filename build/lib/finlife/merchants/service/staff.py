"""A merchant's people: the owner creates cashier logins limited to chosen stores."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity import service as identity
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.merchants.errors import InvalidStores
from finlife.merchants.models import MemberStore, MerchantMember, Store
from finlife.merchants.schemas import MemberRole, StaffOut
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
