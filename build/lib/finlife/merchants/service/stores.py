"""A merchant's stores (where it sells) and the POS terminals bound to them."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import savepoint
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.merchants.errors import (
    InvalidCoordinates,
    InvalidOpeningHours,
    InvalidTerminalId,
    TerminalExists,
)
from finlife.merchants.models import Merchant, Store, Terminal
from finlife.merchants.schemas import StoreIn, StoreOut, TerminalOut
from finlife.merchants.service.access import access_to, load_merchant, record_change, store_access, store_out
from finlife.merchants.service.discovery import index_for_search

OPEN = "active"
MICRO = Decimal(1_000_000)
# "HH:MM-HH:MM"; the end may be 24:00, or earlier than the start for a store open past midnight.
HOURS_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])")
# ISO 8583 field 41 is 8 characters; letters and digits only ([A-Za-z0-9], not \w: no full-width).
TERMINAL_PATTERN = re.compile(r"[A-Za-z0-9]{8}")


def _micro_degrees(value: Decimal, limit: int, field: str) -> int:
    """Degrees to integer micro-degrees: finite, within ±limit, at most six decimals."""
    if not value.is_finite() or abs(value) > limit:
        raise InvalidCoordinates(field)
    micro = value * MICRO
    if micro != micro.to_integral_value():
        raise InvalidCoordinates(field)
    return int(micro)


def _valid_hours(hours: str) -> str:
    hours = hours.strip()
    match = HOURS_PATTERN.fullmatch(hours)
    if match is None:
        raise InvalidOpeningHours()
    start, end = match.group(1, 2), match.group(3, 4)
    if start == end or (end[0] == "24" and end[1] != "00"):
        raise InvalidOpeningHours()
    return hours


def create_store(session: Session, actor: Actor, merchant_id: str, data: StoreIn) -> StoreOut:
    """The owner of an active merchant opens a store (coordinates kept in micro-degrees)."""
    merchant = load_merchant(session, merchant_id)
    access_to(session, actor, merchant, manage=True)
    store = Store(
        public_id=new_id("sto"),
        merchant_pk=merchant.id,
        name=data.name.strip(),
        address=data.address.strip(),
        district=data.district.strip(),
        latitude_micro=_micro_degrees(data.latitude, 90, "latitude"),
        longitude_micro=_micro_degrees(data.longitude, 180, "longitude"),
        category=data.category.strip(),
        opening_hours=_valid_hours(data.opening_hours),
        status=OPEN,
        created_at=clock.now(),
    )
    session.add(store)
    session.flush()
    index_for_search(session, store, merchant)
    facts = {"merchant_id": merchant.public_id, "name": store.name, "district": store.district}
    record_change(
        session,
        actor,
        "merchant.store_created",
        subject_type="store",
        subject_id=store.public_id,
        facts=facts,
    )
    return store_out(store, merchant.public_id)


def list_stores(session: Session, actor: Actor, merchant_id: str, params: PageParams) -> Page[StoreOut]:
    """The merchant's stores, newest first; a cashier sees only the stores they work in."""
    merchant = load_merchant(session, merchant_id)
    access = access_to(session, actor, merchant)
    stmt = select(Store).where(Store.merchant_pk == merchant.id)
    if access.store_ids is not None:
        stmt = stmt.where(Store.public_id.in_(sorted(access.store_ids)))
    rows, has_more = paginate(
        session, stmt, id_column=Store.id, public_id_column=Store.public_id, params=params
    )
    return Page[StoreOut](data=[store_out(s, merchant.public_id) for s in rows], has_more=has_more)


def get_store(session: Session, actor: Actor, store_id: str) -> StoreOut:
    """One store, for whoever may see it (see store_access)."""
    return store_access(session, actor, store_id)[1]


def _terminal_out(terminal: Terminal, store_id: str, merchant_id: str) -> TerminalOut:
    return TerminalOut(
        terminal_id=terminal.terminal_id, store_id=store_id, merchant_id=merchant_id, status=terminal.status
    )


def add_terminal(session: Session, actor: Actor, store_id: str, *, terminal_id: str) -> TerminalOut:
    """The owner binds a POS terminal to a store: 8 letters or digits, unique across the bank."""
    access, store = store_access(session, actor, store_id, manage=True)
    if not TERMINAL_PATTERN.fullmatch(terminal_id):
        raise InvalidTerminalId()
    if session.execute(select(Terminal.id).where(Terminal.terminal_id == terminal_id)).first():
        raise TerminalExists()
    merchant_pk, store_pk = session.execute(
        select(Merchant.id, Store.id)
        .join(Store, Store.merchant_pk == Merchant.id)
        .where(Store.public_id == store.id)
    ).one()
    terminal = Terminal(
        terminal_id=terminal_id,
        merchant_pk=merchant_pk,
        store_pk=store_pk,
        status=OPEN,
        created_at=clock.now(),
    )
    session.add(terminal)
    try:
        # A savepoint, so that an id taken by a concurrent request is a clean 409.
        with savepoint(session):
            session.flush()
    except IntegrityError as exc:
        raise TerminalExists() from exc
    facts = {"merchant_id": access.merchant_id, "store_id": store.id}
    record_change(
        session,
        actor,
        "merchant.terminal_added",
        subject_type="terminal",
        subject_id=terminal_id,
        facts=facts,
    )
    return _terminal_out(terminal, store.id, access.merchant_id)


def list_terminals(session: Session, actor: Actor, store_id: str, params: PageParams) -> Page[TerminalOut]:
    """The store's terminals, newest first, for whoever may see the store."""
    access, store = store_access(session, actor, store_id)
    stmt = select(Terminal).join(Store, Store.id == Terminal.store_pk).where(Store.public_id == store.id)
    rows, has_more = paginate(
        session, stmt, id_column=Terminal.id, public_id_column=Terminal.terminal_id, params=params
    )
    return Page[TerminalOut](
        data=[_terminal_out(t, store.id, access.merchant_id) for t in rows], has_more=has_more
    )


def terminal_facts(session: Session, terminal_id: str) -> TerminalOut:
    """The terminal's store, merchant and status (no access check; for the cashier and payments)."""
    row = session.execute(
        select(Terminal, Store.public_id, Merchant.public_id)
        .join(Store, Store.id == Terminal.store_pk)
        .join(Merchant, Merchant.id == Terminal.merchant_pk)
        .where(Terminal.terminal_id == terminal_id)
    ).one_or_none()
    if row is None:
        raise NotFound("terminal")
    terminal, store_id, merchant_id = row
    return _terminal_out(terminal, store_id, merchant_id)
