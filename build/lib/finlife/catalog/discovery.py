"""The goods of merchants as the public sees them (Life channel search and store pages); read-only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.catalog.models import Item, Variation
from finlife.search import service as search


@dataclass(frozen=True)
class PublicGoods:
    """One sellable variation of a listed (not archived) item, price in fen."""

    item_id: str
    item_name: str
    variation_id: str
    variation_name: str
    category: str
    price: int


def item_names_by_merchant(session: Session, merchant_ids: list[str]) -> dict[str, list[str]]:
    """The names of each merchant's listed items, for text search."""
    names: dict[str, list[str]] = defaultdict(list)
    if not merchant_ids:
        return names
    rows = session.execute(
        select(Item.merchant_id, Item.name)
        .where(Item.merchant_id.in_(merchant_ids), Item.archived_at.is_(None))
        .order_by(Item.id)
    ).all()
    for merchant_id, name in rows:
        names[merchant_id].append(name)
    return names


def index_goods_for_search(session: Session, merchant_id: str) -> None:
    """Give the search index the names of the merchant's listed goods (after any change to them)."""
    search.index_goods(
        session,
        merchant_id=merchant_id,
        names=lambda: item_names_by_merchant(session, [merchant_id]).get(merchant_id, []),
    )


def public_goods(session: Session, merchant_id: str) -> list[PublicGoods]:
    """A merchant's listed goods with their prices, in the order they were added."""
    rows = session.execute(
        select(Item, Variation)
        .join(Variation, Variation.item_pk == Item.id)
        .where(Item.merchant_id == merchant_id, Item.archived_at.is_(None))
        .order_by(Item.id, Variation.id)
    ).all()
    return [
        PublicGoods(
            item_id=item.public_id,
            item_name=item.name,
            variation_id=variation.public_id,
            variation_name=variation.name,
            category=item.category,
            price=variation.price,
        )
        for item, variation in rows
    ]
