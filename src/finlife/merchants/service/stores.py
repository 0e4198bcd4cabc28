"""A merchant's stores (where it sells) and the POS terminals bound to them."""

from __future__ import annotations

import re
import secrets
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import savepoint
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.merchants.errors import (
    InvalidCoordinates,
    InvalidOpeningHours,
    TerminalExists,
)
from finlife.merchants.models import Merchant, Store, Terminal
from finlife.merchants.schemas import StoreChangesIn, StoreIn, StoreOut, TerminalOut
from finlife.merchants.service.access import (
    access_to,
    load_merchant,
    record_change,
    store_access,
    store_out,
)
from finlife.merchants.service.discovery import index_for_search

OPEN = "active"
MICRO = Decimal(1_000_000)
# "HH:MM-HH:MM"; the end may be 24:00, or earlier than the start for a store open past midnight.
HOURS_PATTERN = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]|24):([0-5][0-9])")
# The bank assigns terminal ids (a merchant could otherwise take ids another has not used yet):
# 8 characters (ISO 8583 field 41; the EMV QR terminal label, tag 62/07), digits and capitals without
# I, L, O, U (Crockford), 32^8 ≈ 10^12 of them, drawn by the OS's random source, so unguessable.
TERMINAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TERMINAL_LENGTH = 8
TERMINAL_DRAWS = 5  # a collision is ~10^-12 a terminal; five in a row would mean a broken source


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


def edit_store(session: Session, actor: Actor, store_id: str, changes: StoreChangesIn) -> StoreOut:
    """The owner changes a store's name, address, district, position, category or hours, by the rules
    it opened under; the search index learns the new words in the same transaction."""
    access, _ = store_access(session, actor, store_id, manage=True)  # 404 for others, 403 for a cashier
    store = session.execute(select(Store).where(Store.public_id == store_id).with_for_update()).scalar_one()
    new: dict[str, object] = {}
    for name in ("name", "address", "district", "category"):
        text = getattr(changes, name)
        if text is not None:
            if not text.strip():
                raise FinlifeError("validation_error", status=422, field=name)
            new[name] = text.strip()
    if changes.latitude is not None:
        new["latitude_micro"] = _micro_degrees(changes.latitude, 90, "latitude")
    if changes.longitude is not None:
        new["longitude_micro"] = _micro_degrees(changes.longitude, 180, "longitude")
    if changes.opening_hours is not None:
        new["opening_hours"] = _valid_hours(changes.opening_hours)
    changed = sorted(name for name, value in new.items() if getattr(store, name) != value)
    merchant = load_merchant(session, access.merchant_id)
    if not changed:
        return store_out(store, merchant.public_id)
    for name in changed:
        setattr(store, name, new[name])
    session.flush()
    index_for_search(session, store, merchant)
    facts = {"merchant_id": merchant.public_id, "changed": changed}
    record_change(
        session, actor, "merchant.store_updated", subject_type="store", subject_id=store_id, facts=facts
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


def new_terminal_id() -> str:
    return "".join(secrets.choice(TERMINAL_ALPHABET) for _ in range(TERMINAL_LENGTH))


def add_terminal(session: Session, actor: Actor, store_id: str) -> TerminalOut:
    """The owner binds a new POS terminal to a store; the bank assigns its id (unique bank-wide)."""
    access, store = store_access(session, actor, store_id, manage=True)
    merchant_pk, store_pk = session.execute(
        select(Merchant.id, Store.id)
        .join(Store, Store.merchant_pk == Merchant.id)
        .where(Store.public_id == store.id)
    ).one()
    for _ in range(TERMINAL_DRAWS):
        terminal_id = new_terminal_id()
        if not session.execute(select(Terminal.id).where(Terminal.terminal_id == terminal_id)).first():
            break
    else:
        raise TerminalExists()
    terminal = Terminal(
        terminal_id=terminal_id,
        merchant_pk=merchant_pk,
        store_pk=store_pk,
        status=OPEN,
        created_at=clock.now(),
    )
    session.add(terminal)
    try:
        # A savepoint, so that the same id drawn by a concurrent request is a clean 409 (try again).
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
    row = session.execute(_TERMINAL_FACTS, {"terminal": terminal_id}).one_or_none()
    if row is None:
        raise NotFound("terminal")
    terminal, store_id, merchant_id = row
    return _terminal_out(terminal, store_id, merchant_id)


# Built once with a bound parameter (every order checks its terminal): keyed once, not on every call.
_TERMINAL_FACTS = (
    select(Terminal, Store.public_id, Merchant.public_id)
    .join(Store, Store.id == Terminal.store_pk)
    .join(Merchant, Merchant.id == Terminal.merchant_pk)
    .where(Terminal.terminal_id == bindparam("terminal"))
)
