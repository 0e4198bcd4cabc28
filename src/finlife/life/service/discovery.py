"""Discovery: stores of active merchants near the customer, searched, filtered and sorted.

The database narrows the stores first (merchants.stores_for_discovery): open stores of active
merchants, category, administrative district, the bounding box of the radius on the indexed
micro-degree columns, and the full-text match of ``q`` (search: FTS5 on SQLite, tsvector on
PostgreSQL; Chinese cut by jieba). Python then keeps what SQL cannot say exactly (the great-circle
radius, a business district's shape), computes distance, rating, popularity and open-now, and sorts.
"Nearest first" without a radius looks in widening circles until it has enough stores; with one, on
PostgreSQL, the database orders the circle and sends the page (life.service.nearest). "Most popular
first" without a radius or a district's shape is ranked in the database instead, on the counts the
cashier keeps, and stops at the page (_most_popular; CONTRIBUTING "Discovery").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.catalog import service as catalog
from finlife.kit import geo
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.life.errors import LocationRequired
from finlife.life.models import StoreRating
from finlife.life.schemas import DiscoveredStoreOut, GoodsOut, Sort, StorePageOut
from finlife.life.service.common import rating_tenths, rating_text
from finlife.life.service.nearest import nearest_page
from finlife.life.service.promotions import stores_with_step
from finlife.life.service.reviews import recent_reviews
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants
from finlife.merchants.service import box_around
from finlife.search import service as search

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Radii tried in turn for "nearest first" without a radius; past the last, every store is a candidate.
WIDENING_M = (2_000, 8_000, 32_000, 128_000, 512_000)
MANY_IDS = 1_000
# Most popular first with a text (see _most_popular): the stores read down the counts' order before
# giving up, then the number of matches ranked by their ids rather than by reading on.
WALK_STORES = 2_000
FEW_MATCHES = 1_000

InDistrict = Callable[[geo.Point], bool]


@dataclass(frozen=True)
class Near:
    """The caller's position (micro-degrees) and how far they look (None: no limit)."""

    point: geo.Point
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


def _visible(session: Session, store_ids: list[str]) -> list[merchants.DiscoveryStore]:
    return merchants.stores_for_discovery(session, store_ids, where=merchants.StoreFilter())


def _ratings(session: Session, store_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(sum, count) of the given stores' ratings. For many stores every rating row is read instead
    of sending thousands of ids: there is one row per reviewed store."""
    if not store_ids:
        return {}
    few = len(store_ids) <= MANY_IDS
    stmt, params = (_RATINGS_OF, {"ids": store_ids}) if few else (_EVERY_RATING, {})
    wanted = set(store_ids)
    return {
        store_id: (total, count)
        for store_id, total, count in session.execute(stmt, params)
        if store_id in wanted
    }


# Built once (the ids bound at each call): every discovery request reads its page's ratings.
_EVERY_RATING = select(StoreRating.store_id, StoreRating.rating_sum, StoreRating.review_count)
_RATINGS_OF = _EVERY_RATING.where(StoreRating.store_id.in_(bindparam("ids", expanding=True)))


def _point(store: merchants.DiscoveryStore | merchants.StorePoint) -> geo.Point:
    return (store.latitude_micro, store.longitude_micro)


def _out(
    store: merchants.DiscoveryStore,
    near: Near | None,
    rating: tuple[int, int],
    popularity: int,
    now: datetime,
) -> DiscoveredStoreOut:
    tenths = rating_tenths(*rating)
    return DiscoveredStoreOut(
        store_id=store.id,
        name=store.name,
        merchant_id=store.merchant_id,
        merchant_name=store.merchant_name,
        category=store.category,
        district=store.district,
        address=store.address,
        latitude=geo.degrees(store.latitude_micro),
        longitude=geo.degrees(store.longitude_micro),
        distance_m=None if near is None else round(geo.distance_m(near.point, _point(store))),
        rating_tenths=tenths,
        rating=rating_text(tenths),
        review_count=rating[1],
        popularity=popularity,
        open_now=open_now(store.opening_hours, now),
    )


def _within(
    session: Session,
    where: merchants.StoreFilter,
    centre: geo.Point,
    radius_m: int,
    inside: InDistrict | None,
) -> list[merchants.StorePoint]:
    """The stores passing ``where`` within ``radius_m`` of ``centre`` (great-circle), box first."""
    boxed = merchants.StoreFilter(
        category=where.category,
        district=where.district,
        matching=where.matching,
        box=box_around(centre, radius_m),
    )
    return [
        store
        for store in merchants.store_points(session, boxed)
        if geo.distance_m(centre, _point(store)) <= radius_m and (inside is None or inside(_point(store)))
    ]


def _nearest(
    session: Session, where: merchants.StoreFilter, centre: geo.Point, limit: int, inside: InDistrict | None
) -> list[merchants.StorePoint]:
    """Enough stores to hold the ``limit`` nearest: a circle holding ``limit`` stores holds the nearest
    ones (every store outside it is farther than all within), so the circles widen until one does."""
    for radius_m in WIDENING_M:
        found = _within(session, where, centre, radius_m, inside)
        if len(found) >= limit:
            return found
    return [s for s in merchants.store_points(session, where) if inside is None or inside(_point(s))]


def _candidates(
    session: Session,
    where: merchants.StoreFilter,
    near: Near | None,
    order: Sort,
    limit: int,
    inside: InDistrict | None,
) -> list[merchants.StorePoint]:
    if near is not None and near.radius_m is not None:
        return _within(session, where, near.point, near.radius_m, inside)
    if near is not None and order is Sort.DISTANCE:
        return _nearest(session, where, near.point, limit, inside)
    points = merchants.store_points(session, where)
    return points if inside is None else [s for s in points if inside(_point(s))]


def _best(
    session: Session,
    points: list[merchants.StorePoint],
    near: Near | None,
    order: Sort,
    counts: dict[str, int],
    limit: int,
) -> list[merchants.StorePoint]:
    """The first ``limit`` candidates in ``order``, ties broken by store id."""
    if order is Sort.DISTANCE and near is not None:
        centre = near.point
        return sorted(points, key=lambda p: (round(geo.distance_m(centre, _point(p))), p.id))[:limit]
    if order is Sort.RATING:
        ratings = _ratings(session, [p.id for p in points])

        def by_rating(p: merchants.StorePoint) -> tuple[int, int, str]:
            total, count = ratings.get(p.id, (0, 0))
            return -(rating_tenths(total, count) or 0), -count, p.id

        return sorted(points, key=by_rating)[:limit]
    return sorted(points, key=lambda p: (-counts.get(p.id, 0), p.id))[:limit]


def discover(
    session: Session,
    *,
    query: str | None,
    near: Near | None,
    category: str | None,
    district: str | None,
    sort: Sort | None,
    limit: int,
    actor: Actor | None = None,
) -> list[DiscoveredStoreOut]:
    """Stores of active merchants matching every filter given, best first by ``sort``.

    ``district`` is a business district id (``dis_…``, by its shape) or an administrative district
    name as stores give it ("徐汇区"). Default order: distance when a position is given, else popularity.
    Each store carries its live coupons; a customer's search is a funnel step of those campaigns.
    """
    if sort is Sort.DISTANCE and near is None:
        raise LocationRequired()
    order = sort or (Sort.DISTANCE if near is not None else Sort.POPULARITY)
    inside: InDistrict | None = None
    if district and district.startswith("dis_"):
        inside = marketing.district_test(session, district)
    text = (query or "").strip()
    plain = merchants.StoreFilter(
        category=category.strip() if category and category.strip() else None,
        district=district.strip() if district and not district.startswith("dis_") else None,
    )
    now = clock.now()
    since = cashier.popularity_since(now)
    best_ids: list[str] | None = None
    counts: dict[str, int] = {}
    shown: list[merchants.DiscoveryStore] | None = None
    if order is Sort.POPULARITY and (near is None or near.radius_m is None) and inside is None:
        best_ids, counts = _most_popular(session, plain, text, since, limit)
    elif order is Sort.DISTANCE and near is not None and near.radius_m is not None and inside is None:
        shown = nearest_page(session, plain, near.point, near.radius_m, limit, query=text or None)
        if shown is not None:
            best_ids = [s.id for s in shown]
            counts = cashier.paid_order_counts(session, since=since, store_ids=best_ids)
    if best_ids is None:
        where = replace(plain, matching=search.matching_store_ids(session, text) if text else None)
        points = _candidates(session, where, near, order, limit, inside)
        # Ranking by popularity needs every candidate's count; any other order, only the shown ones'.
        ranked = [p.id for p in points] if order is Sort.POPULARITY else []
        counts = cashier.paid_order_counts(session, since=since, store_ids=ranked)
        best_ids = [p.id for p in _best(session, points, near, order, counts, limit)]
        if order is not Sort.POPULARITY:
            counts = cashier.paid_order_counts(session, since=since, store_ids=best_ids)
    # Only the stores shown are loaded in full (the nearest page comes with them).
    if shown is None:
        shown = merchants.stores_for_discovery(session, best_ids)
    facts = {s.id: s for s in shown}
    ratings = _ratings(session, list(facts))
    found = [
        _out(facts[store_id], near, ratings.get(store_id, (0, 0)), counts.get(store_id, 0), now)
        for store_id in best_ids
        if store_id in facts
    ]
    return stores_with_step(session, actor, "search", found, store_id=None, loaded=list(facts.values()))


def _most_popular(
    session: Session, where: merchants.StoreFilter, text: str, since: datetime, limit: int
) -> tuple[list[str] | None, dict[str, int]]:
    """Most popular first over every store passing ``where`` and matching ``text`` (no radius, no
    district's shape to test in Python), ranked in the database on the kept counts and stopped at the
    page; (None, {}) when the counts decline (cashier.most_popular): the candidates are then counted
    one by one.

    A text is checked store by store down the counts' order, reading at most WALK_STORES of them (a
    word in one store of ten gives a page of 20 after about 200); a text found too seldom for that
    is ranked among the ids of its matches if they are few, else by reading on to the end."""
    among = merchants.visible_store_ids(where)
    if not text:
        ranked = cashier.most_popular(session, among=among, since=since, limit=limit)
    else:
        ranked = cashier.most_popular(
            session, among=among, since=since, limit=limit, query=text, within=WALK_STORES
        )
        if ranked is None:
            few = search.first_matching_store_ids(session, text, FEW_MATCHES)
            if few is not None:
                among = merchants.visible_store_ids(replace(where, store_ids=few))
            query = None if few is not None else text
            ranked = cashier.most_popular(session, among=among, since=since, limit=limit, query=query)
    if ranked is None:
        return None, {}
    return [r.store_id for r in ranked], {r.store_id: r.popularity for r in ranked}


def store_page(
    session: Session, store_id: str, *, near: Near | None, actor: Actor | None = None
) -> StorePageOut:
    """One store of an active merchant with its hours, goods and prices, its recent reviews and live
    coupons; a signed-in customer's visit is a funnel step (view) of those campaigns."""
    visible = _visible(session, [store_id])
    if not visible:
        raise NotFound("store")
    store = visible[0]
    now = clock.now()
    rating = _ratings(session, [store.id]).get(store.id, (0, 0))
    since = cashier.popularity_since(now)
    popularity = cashier.paid_order_counts(session, since=since, store_ids=[store.id]).get(store.id, 0)
    shown = _out(store, near, rating, popularity, now)
    summary = stores_with_step(session, actor, "view", [shown], store_id=store.id)[0]
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
