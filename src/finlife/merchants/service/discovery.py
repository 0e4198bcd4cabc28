"""Public facts of stores, for the Life channel's discovery (read-only, no access check), and the words
a store gives the search index when it opens.

Discovery narrows the stores in SQL before anything is computed in Python: open stores of active
merchants, a category, an administrative district, a bounding box on the indexed integer
micro-degree columns, and the ids a text search matched (a subquery, so the database joins them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from finlife.merchants.models import Merchant, Store
from finlife.merchants.schemas import MerchantStatus
from finlife.search import service as search

OPEN = "active"
NOT_ACTIVE = [status.value for status in MerchantStatus if status is not MerchantStatus.ACTIVE]


@dataclass(frozen=True)
class DiscoveryStore:
    """What anyone may know about a store: where it is, what it sells, when it opens."""

    id: str  # sto_…
    merchant_id: str  # mer_…
    merchant_name: str
    merchant_status: str
    name: str
    category: str
    district: str
    address: str
    latitude_micro: int
    longitude_micro: int
    opening_hours: str  # "HH:MM-HH:MM", the end may be past midnight
    status: str


@dataclass(frozen=True)
class Box:
    """A latitude/longitude rectangle in micro-degrees, bounds included."""

    south: int
    north: int
    west: int
    east: int


@dataclass(frozen=True)
class StoreFilter:
    """What discovery asks for; every field given must hold. Only open stores of active merchants."""

    category: str | None = None  # compared without case
    district: str | None = None  # the administrative district the store gives, e.g. "徐汇区"
    box: Box | None = None
    matching: Select[Any] | None = None  # a SELECT of store ids, e.g. search.matching_store_ids
    store_ids: Sequence[str] | None = None


@dataclass(frozen=True)
class StorePoint:
    """A candidate of discovery: just what sorting and the exact shape tests need."""

    id: str
    latitude_micro: int
    longitude_micro: int


# Plain columns, not entities: discovery, recommendations and districts read up to a few hundred
# stores per request, and loading them as ORM objects cost several times as much (identity map,
# attribute state) for rows nothing changes.
DISCOVERY_COLUMNS = (
    Store.public_id,
    Merchant.public_id,
    Merchant.legal_name,
    Merchant.status,
    Store.name,
    Store.category,
    Store.district,
    Store.address,
    Store.latitude_micro,
    Store.longitude_micro,
    Store.opening_hours,
    Store.status,
)


def stores_for_discovery(
    session: Session, store_ids: list[str] | None = None, *, where: StoreFilter | None = None
) -> list[DiscoveryStore]:
    """Every store (or the given ones) with its merchant's name and status, oldest first.

    With ``where``: only the open stores of active merchants that pass it.
    """
    if where is None and store_ids is not None:
        # The stores a page shows, on every discovery request: a statement built once.
        if not store_ids:
            return []
        return [
            DiscoveryStore(*tuple(row)) for row in session.execute(_STORES_GIVEN, {"ids": list(store_ids)})
        ]
    stmt = _EVERY_STORE
    if store_ids is not None:
        stmt = stmt.where(Store.public_id.in_(store_ids))
    if where is not None:
        stmt = stmt.where(*_conditions(where))
    return [DiscoveryStore(*tuple(row)) for row in session.execute(stmt)]


_EVERY_STORE = select(*DISCOVERY_COLUMNS).join(Merchant, Merchant.id == Store.merchant_pk).order_by(Store.id)
_STORES_GIVEN = _EVERY_STORE.where(Store.public_id.in_(bindparam("ids", expanding=True)))


def store_points(session: Session, where: StoreFilter) -> list[StorePoint]:
    """The id and position of every open store of an active merchant that passes ``where``: light
    rows, so that thousands of candidates cost little before the few shown are loaded in full."""
    stmt = select(Store.public_id, Store.latitude_micro, Store.longitude_micro).where(
        *visible_conditions(where)
    )
    return [StorePoint(store_id, lat, lng) for store_id, lat, lng in session.execute(stmt)]


def visible_store_ids(where: StoreFilter) -> Select[Any]:
    """A SELECT of the ids of the open stores of active merchants that pass ``where`` (the stores
    ``store_points`` lists), to be used as a subquery, e.g. ranked by popularity in the database."""
    return select(Store.public_id).where(*visible_conditions(where))


def visible_conditions(where: StoreFilter) -> list[ColumnElement[bool]]:
    """The SQL conditions on ``stores`` alone (no join) for the open stores of active merchants that
    pass ``where``."""
    return [
        Store.status == OPEN,
        # The few merchants that are not active, by their status index, rather than a join with every
        # merchant: PostgreSQL would hash all of them to keep the few hundred stores of a radius.
        Store.merchant_pk.not_in(select(Merchant.id).where(Merchant.status.in_(NOT_ACTIVE))),
        *_conditions(where, visible=False),
    ]


def _conditions(where: StoreFilter, *, visible: bool = True) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on stores (and, if ``visible``, on the joined merchant)."""
    conditions = [Store.status == OPEN, Merchant.status == MerchantStatus.ACTIVE] if visible else []
    if where.category:
        conditions.append(func.lower(Store.category) == where.category.strip().lower())
    if where.district:
        conditions.append(Store.district == where.district.strip())
    if where.box is not None:
        box = where.box
        conditions.append(Store.latitude_micro.between(box.south, box.north))
        if box.west <= box.east:
            conditions.append(Store.longitude_micro.between(box.west, box.east))
        else:  # the box crosses the 180th meridian
            conditions.append(or_(Store.longitude_micro >= box.west, Store.longitude_micro <= box.east))
    if where.matching is not None:
        conditions.append(Store.public_id.in_(where.matching))
    if where.store_ids is not None:
        conditions.append(Store.public_id.in_(where.store_ids))
    return conditions


def index_for_search(session: Session, store: Store, merchant: Merchant) -> None:
    """Give the search index the words a customer may type to find this store."""
    search.index_store(
        session,
        store_id=store.public_id,
        merchant_id=merchant.public_id,
        texts=[store.name, store.category, merchant.legal_name],
    )
