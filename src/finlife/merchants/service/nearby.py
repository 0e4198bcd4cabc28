"""Where to look around a point: the bounding box of a circle, so that the database narrows the stores
on its (latitude, longitude) index before any great-circle distance is computed.

Points are integer micro-degrees. The box is exact for a circle on the sphere (the widest longitude of
a circle of angular radius r around latitude φ is asin(sin r / cos φ)), plus a micro-degree of margin,
so no store within the radius is ever left out; what the box lets through beyond the circle is dropped
by the distance check afterwards.

On PostgreSQL the nearest stores of a circle are also ordered in the database (``nearest_store_points``)
so that a page of the nearest 20 does not carry the circle's hundreds of stores to Python; the page
comes with its stores' and merchants' facts, and a text search near a point is checked there too,
store by store in the order of distance.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import ColumnElement, Float, TextClause, cast, func, literal, select, text
from sqlalchemy.orm import Session

from finlife.kit.geo import EARTH_RADIUS_M, MICRO, Point
from finlife.merchants.models import Merchant, Store
from finlife.merchants.service.discovery import (
    DISCOVERY_COLUMNS,
    NOT_ACTIVE,
    OPEN,
    Box,
    DiscoveryStore,
    StoreFilter,
    visible_conditions,
)
from finlife.search import service as search

FULL_CIRCLE = 360 * MICRO
HALF_CIRCLE = 180 * MICRO
QUARTER_CIRCLE = 90 * MICRO
MARGIN = 1  # micro-degree: rounding of the conversions below never loses a store on the edge


def box_around(centre: Point, radius_m: float) -> Box:
    """The smallest latitude/longitude rectangle holding every point within ``radius_m`` of ``centre``."""
    lat, lng = centre
    angle = radius_m / EARTH_RADIUS_M  # radians
    reach = math.ceil(math.degrees(angle) * MICRO) + MARGIN
    south, north = lat - reach, lat + reach
    every_longitude = Box(max(south, -QUARTER_CIRCLE), min(north, QUARTER_CIRCLE), -HALF_CIRCLE, HALF_CIRCLE)
    if south <= -QUARTER_CIRCLE or north >= QUARTER_CIRCLE:
        return every_longitude  # the circle holds a pole
    ratio = math.sin(angle) / math.cos(math.radians(lat / MICRO))
    if ratio >= 1:
        return every_longitude
    spread = math.ceil(math.degrees(math.asin(ratio)) * MICRO) + MARGIN
    west, east = lng - spread, lng + spread
    if east - west >= FULL_CIRCLE:
        return every_longitude
    # Across the 180th meridian the box wraps: west > east, which the store filter understands.
    if west < -HALF_CIRCLE:
        west += FULL_CIRCLE
    if east > HALF_CIRCLE:
        east -= FULL_CIRCLE
    return Box(south, north, west, east)


def _distance_sql(centre: Point) -> ColumnElement[float]:
    """``kit.geo.distance_m`` from ``centre`` to each store, as PostgreSQL computes it (float8, the
    same haversine formula). Its last bits may differ from Python's: callers that show or compare a
    distance compute it again in Python."""
    double = Float(53)
    to_radians = math.pi / 180 / MICRO
    lat1, lng1 = centre[0] * to_radians, centre[1] * to_radians
    lat2 = cast(Store.latitude_micro, double) * literal(to_radians, double)
    lng2 = cast(Store.longitude_micro, double) * literal(to_radians, double)

    def sin_squared(half_angle: ColumnElement[float]) -> ColumnElement[float]:
        return func.power(func.sin(half_angle, type_=double), literal(2.0, double), type_=double)

    h = sin_squared((lat2 - literal(lat1, double)) * literal(0.5, double)) + literal(
        math.cos(lat1), double
    ) * func.cos(lat2, type_=double) * sin_squared((lng2 - literal(lng1, double)) * literal(0.5, double))
    root = func.sqrt(h, type_=double)
    return literal(2 * EARTH_RADIUS_M, double) * func.asin(
        func.least(literal(1.0, double), root), type_=double
    )


def nearest_store_points(
    session: Session,
    where: StoreFilter,
    centre: Point,
    radius_m: int,
    fetch: int,
    *,
    query: str | None = None,
) -> list[DiscoveryStore] | None:
    """The first ``fetch`` stores passing ``where`` (and matching the text ``query``, if given) within
    about ``radius_m`` of ``centre`` (a metre more, for the database's rounding), nearest first by the
    database's own distance, ties by id, with their merchants' facts; None where the database has no
    trigonometry in SQL (SQLite), so the caller computes every distance itself."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    boxed = replace(where, box=box_around(centre, radius_m))
    if where.matching is None and where.store_ids is None:
        return _nearest_by_text(session, boxed, centre, radius_m, fetch, query)
    if query is not None:
        boxed = replace(boxed, matching=search.matching_store_ids(session, query))
    distance = _distance_sql(centre)
    stmt = (
        select(*DISCOVERY_COLUMNS)
        .join(Merchant, Merchant.id == Store.merchant_pk)
        .where(*visible_conditions(boxed), distance <= literal(radius_m + 1.0, Float(53)))
        .order_by(distance, Store.public_id)
        .limit(fetch)
    )
    return [DiscoveryStore(*tuple(row)) for row in session.execute(stmt)]


def _nearest_by_text(
    session: Session, boxed: StoreFilter, centre: Point, radius_m: int, fetch: int, query: str | None
) -> list[DiscoveryStore]:
    """``nearest_store_points`` without ids given: the hot path of "nearby" and of a text near a
    point, one statement of fixed text per shape of filter. SQLAlchemy spent more CPU building, keying
    and compiling the expression of each request than PostgreSQL spent answering it (py-spy,
    bench/discovery.py)."""
    box = boxed.box
    assert box is not None
    tsquery = search.tsquery_of(query) if query is not None else None
    if query is not None and tsquery is None:
        return []  # a text without letters or digits matches nothing
    to_radians = math.pi / 180 / MICRO
    lat1, lng1 = centre[0] * to_radians, centre[1] * to_radians
    params: dict[str, object] = {
        "open": OPEN,
        "not_active": NOT_ACTIVE,
        "south": box.south,
        "north": box.north,
        "west": box.west,
        "east": box.east,
        "to_radians": to_radians,
        "lat1": lat1,
        "lng1": lng1,
        "cos_lat1": math.cos(lat1),
        "diameter": 2 * EARTH_RADIUS_M,
        "reach": radius_m + 1.0,
        "fetch": fetch,
        "category": (boxed.category or "").strip().lower(),
        "district": (boxed.district or "").strip(),
        "tsquery": tsquery or "",
    }
    stmt = _nearest_statement(
        bool(boxed.category), bool(boxed.district), box.west > box.east, tsquery is not None
    )
    return [DiscoveryStore(*row) for row in session.execute(stmt, params)]


# The same haversine as ``_distance_sql`` (and ``kit.geo.distance_m``), in the same order of operations.
_DISTANCE = (
    "CAST(:diameter AS float8) * asin(least(CAST(1.0 AS float8), sqrt("
    "power(sin((CAST(latitude_micro AS float8) * CAST(:to_radians AS float8) - CAST(:lat1 AS float8))"
    " * CAST(0.5 AS float8)), CAST(2.0 AS float8))"
    " + CAST(:cos_lat1 AS float8) * cos(CAST(latitude_micro AS float8) * CAST(:to_radians AS float8))"
    " * power(sin((CAST(longitude_micro AS float8) * CAST(:to_radians AS float8) - CAST(:lng1 AS float8))"
    " * CAST(0.5 AS float8)), CAST(2.0 AS float8)))))"
)


# The columns of ``DISCOVERY_COLUMNS``: the stores' own, then (outside) their merchants'.
_STORE_COLUMNS = (
    "public_id, merchant_pk, name, category, district, address, latitude_micro, longitude_micro,"
    " opening_hours, status"
)
_PAGE_COLUMNS = (
    "n.public_id, m.public_id, m.legal_name, m.status, n.name, n.category, n.district, n.address,"
    " n.latitude_micro, n.longitude_micro, n.opening_hours, n.status"
)


@lru_cache(maxsize=16)
def _nearest_statement(category: bool, district: bool, wraps: bool, words: bool) -> TextClause:
    """The text for one shape of filter (``visible_conditions`` with a box, and a text search or
    not), built once.

    With a text, the circle's stores are ordered first and their documents checked one by one in
    that order until the page is full (``search.DOCUMENT_MATCH``): a word in one store of ten is
    settled after a few hundred of a 5 km circle's ~1,500 stores. PostgreSQL's own plan for the match
    joined to the box checked every store of the box, on two processes (a parallel worker), and
    spent 13–15 ms of CPU per request (bench/discovery.py, "both")."""
    conditions = [
        "status = :open",
        "merchant_pk NOT IN (SELECT id FROM merchants WHERE status = ANY(CAST(:not_active AS text[])))",
        "latitude_micro BETWEEN :south AND :north",
        # Across the 180th meridian the box wraps (west > east).
        "(longitude_micro >= :west OR longitude_micro <= :east)"
        if wraps
        else "longitude_micro BETWEEN :west AND :east",
    ]
    if category:
        conditions.append("lower(category) = :category")
    if district:
        conditions.append("district = :district")
    # Only the fixed fragments above are joined; every value is a bound parameter.
    where = " AND ".join(conditions)
    circle = (
        f"SELECT {_STORE_COLUMNS}, {_DISTANCE} AS distance FROM stores"  # noqa: S608
        f" WHERE {where} AND {_DISTANCE} <= CAST(:reach AS float8)"
    )
    if words:
        # OFFSET 0 keeps the ordered circle a subquery of its own, so the match is tested on its rows
        # in order rather than joined to every match.
        page = (
            f"SELECT c.* FROM ({circle} ORDER BY distance, public_id OFFSET 0) c"  # noqa: S608
            f" WHERE {search.DOCUMENT_MATCH.format(store_id='c.public_id')}"
            " ORDER BY c.distance, c.public_id LIMIT :fetch"
        )
    else:
        page = f"{circle} ORDER BY distance, public_id LIMIT :fetch"
    # The merchants' facts are joined to the page only (its few dozen rows), not to the circle.
    return text(
        f"SELECT {_PAGE_COLUMNS} FROM ({page}) n JOIN merchants m ON m.id = n.merchant_pk"  # noqa: S608
        " ORDER BY n.distance, n.public_id"
    )
