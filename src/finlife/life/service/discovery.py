"""Discovery: stores of active merchants near the customer, searched, filtered and sorted.

The store set is small per city and the rules (distance, district shapes, opening hours, search in
names of goods) cut across modules, so filtering happens here in Python over public store facts.
Text search is a case-insensitive "contains" (Chinese included); no FTS5 / PostgreSQL full-text yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.catalog import service as catalog
from finlife.kit import geo as geometry
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.kit.geo import degrees
from finlife.life.errors import LocationRequired
from finlife.life.models import StoreRating
from finlife.life.schemas import DiscoveredStoreOut, GoodsOut, Sort, StorePageOut
from finlife.life.service.common import rating_tenths, rating_text
from finlife.life.service.reviews import recent_reviews
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants
from finlife.merchants.schemas import MerchantStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
ACTIVE_STORE = "active"
POPULARITY_DAYS = 30


@dataclass(frozen=True)
class Near:
    """The caller's position (micro-degrees) and how far they look (None: no limit)."""

    point: geometry.Point
    radius_m: int | None


def open_now(hours: str, at: datetime) -> bool:
    """Whether "HH:MM-HH:MM" covers the Shanghai wall-clock time of ``at`` (end may be past midnight)."""
    start_text, end_text = hours.split("-")
    local = at.astimezone(SHANGHAI).time()
    start = time.fromisoformat(start_text)
    if end_text == "24:00":
        return local >= start
    end = time.fromisoformat(end_text)
    if start < end:
        return start <= local < end
    return local >= start or local < end  # open past midnight, e.g. 18:00-02:00


def _visible(session: Session, store_ids: list[str] | None = None) -> list[merchants.DiscoveryStore]:
    return [
        store
        for store in merchants.stores_for_discovery(session, store_ids)
        if store.merchant_status == MerchantStatus.ACTIVE and store.status == ACTIVE_STORE
    ]


def _ratings(session: Session, store_ids: list[str]) -> dict[str, tuple[int, int]]:
    rows = session.execute(
        select(StoreRating.store_id, StoreRating.rating_sum, StoreRating.review_count).where(
            StoreRating.store_id.in_(store_ids)
        )
    ).all()
    return {store_id: (total, count) for store_id, total, count in rows}


def _matches(store: merchants.DiscoveryStore, needle: str, goods: list[str]) -> bool:
    haystack = (store.name, store.category, store.merchant_name, *goods)
    return any(needle in text.casefold() for text in haystack)


def _out(
    store: merchants.DiscoveryStore,
    near: Near | None,
    rating: tuple[int, int],
    popularity: int,
    now: datetime,
) -> DiscoveredStoreOut:
    point = (store.latitude_micro, store.longitude_micro)
    tenths = rating_tenths(*rating)
    return DiscoveredStoreOut(
        store_id=store.id,
        name=store.name,
        merchant_id=store.merchant_id,
        merchant_name=store.merchant_name,
        category=store.category,
        district=store.district,
        address=store.address,
        latitude=degrees(store.latitude_micro),
        longitude=degrees(store.longitude_micro),
        distance_m=None if near is None else round(geometry.distance_m(near.point, point)),
        rating_tenths=tenths,
        rating=rating_text(tenths),
        review_count=rating[1],
        popularity=popularity,
        open_now=open_now(store.opening_hours, now),
    )


def discover(
    session: Session,
    *,
    query: str | None,
    near: Near | None,
    category: str | None,
    district: str | None,
    sort: Sort | None,
    limit: int,
) -> list[DiscoveredStoreOut]:
    """Stores of active merchants matching every filter given, best first by ``sort``.

    ``district`` is a business district id (``dis_…``, by its shape) or an administrative district
    name as stores give it ("徐汇区"). Default order: distance when a position is given, else popularity.
    """
    if sort is Sort.DISTANCE and near is None:
        raise LocationRequired()
    stores = _visible(session)
    if category:
        stores = [s for s in stores if s.category.casefold() == category.strip().casefold()]
    if district and district.startswith("dis_"):
        inside = marketing.district_test(session, district)
        stores = [s for s in stores if inside((s.latitude_micro, s.longitude_micro))]
    elif district:
        stores = [s for s in stores if s.district == district.strip()]
    if near is not None and near.radius_m is not None:
        radius = near.radius_m
        stores = [
            s
            for s in stores
            if geometry.distance_m(near.point, (s.latitude_micro, s.longitude_micro)) <= radius
        ]
    needle = (query or "").strip().casefold()
    if needle:
        goods = catalog.item_names_by_merchant(session, sorted({s.merchant_id for s in stores}))
        stores = [s for s in stores if _matches(s, needle, goods.get(s.merchant_id, []))]
    now = clock.now()
    ratings = _ratings(session, [s.id for s in stores])
    counts = cashier.paid_order_counts(session, since=now - timedelta(days=POPULARITY_DAYS))
    found = [_out(s, near, ratings.get(s.id, (0, 0)), counts.get(s.id, 0), now) for s in stores]
    order = sort or (Sort.DISTANCE if near is not None else Sort.POPULARITY)
    if order is Sort.DISTANCE:
        found.sort(key=lambda s: (s.distance_m or 0, s.store_id))
    elif order is Sort.RATING:
        found.sort(key=lambda s: (-(s.rating_tenths or 0), -s.review_count, s.store_id))
    else:
        found.sort(key=lambda s: (-s.popularity, s.store_id))
    return found[:limit]


def store_page(session: Session, store_id: str, *, near: Near | None) -> StorePageOut:
    """One store of an active merchant with its hours, goods and prices, and its recent reviews."""
    visible = _visible(session, [store_id])
    if not visible:
        raise NotFound("store")
    store = visible[0]
    now = clock.now()
    rating = _ratings(session, [store.id]).get(store.id, (0, 0))
    popularity = cashier.paid_order_counts(session, since=now - timedelta(days=POPULARITY_DAYS)).get(
        store.id, 0
    )
    summary = _out(store, near, rating, popularity, now)
    goods = [
        GoodsOut(
            item_id=g.item_id,
            variation_id=g.variation_id,
            name=g.item_name,
            variation=g.variation_name,
            category=g.category,
            price=g.price,
        )
        for g in catalog.public_goods(session, store.merchant_id)
    ]
    return StorePageOut(
        **summary.model_dump(),
        opening_hours=store.opening_hours,
        goods=goods,
        recent_reviews=recent_reviews(session, store.id),
    )
