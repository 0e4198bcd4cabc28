"""Public facts of every store, for the Life channel's discovery (read-only, no access check)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.merchants.models import Merchant, Store


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


def stores_for_discovery(session: Session, store_ids: list[str] | None = None) -> list[DiscoveryStore]:
    """Every store (or the given ones) with its merchant's name and status, oldest first."""
    stmt = select(Store, Merchant).join(Merchant, Merchant.id == Store.merchant_pk).order_by(Store.id)
    if store_ids is not None:
        stmt = stmt.where(Store.public_id.in_(store_ids))
    return [
        DiscoveryStore(
            id=store.public_id,
            merchant_id=merchant.public_id,
            merchant_name=merchant.legal_name,
            merchant_status=merchant.status,
            name=store.name,
            category=store.category,
            district=store.district,
            address=store.address,
            latitude_micro=store.latitude_micro,
            longitude_micro=store.longitude_micro,
            opening_hours=store.opening_hours,
            status=store.status,
        )
        for store, merchant in session.execute(stmt).all()
    ]
