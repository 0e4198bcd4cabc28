"""Where to look around a point: the bounding box of a circle, so that the database narrows the stores
on its (latitude, longitude) index before any great-circle distance is computed.

Points are integer micro-degrees. The box is exact for a circle on the sphere (the widest longitude of
a circle of angular radius r around latitude φ is asin(sin r / cos φ)), plus a micro-degree of margin,
so no store within the radius is ever left out; what the box lets through beyond the circle is dropped
by the distance check afterwards.

On PostgreSQL the nearest stores of a circle are also ordered in the database (``nearest_store_points``)
so that a page of the nearest 20 does not carry the circle's hundreds of stores to Python.
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import lru_cache

from sqlalchemy import ColumnElement, Float, TextClause, cast, func, literal, select, text
from sqlalchemy.orm import Session

from finlife.kit.geo import EARTH_RADIUS_M, MICRO, Point
from finlife.merchants.models import Store
from finlife.merchants.service.discovery import (
    NOT_ACTIVE,
    OPEN,
    Box,
    StoreFilter,
    StorePoint,
    visible_conditions,
)

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
    session: Session, where: StoreFilter, centre: Point, radius_m: int, fetch: int
) -> list[StorePoint] | None:
    """The first ``fetch`` stores passing ``where`` within about ``radius_m`` of ``centre`` (a metre
    more, for the database's rounding), nearest first by the database's own distance; None where the
    database has no trigonometry in SQL (SQLite), so the caller computes every distance itself."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    boxed = replace(where, box=box_around(centre, radius_m))
    if where.matching is None and where.store_ids is None:
        return _nearest_by_text(session, boxed, centre, radius_m, fetch)
    distance = _distance_sql(centre)
    stmt = (
        select(Store.public_id, Store.latitude_micro, Store.longitude_micro)
        .where(*visible_conditions(boxed), distance <= literal(radius_m + 1.0, Float(53)))
        .order_by(distance, Store.public_id)
        .limit(fetch)
    )
    return [StorePoint(store_id, lat, lng) for store_id, lat, lng in session.execute(stmt)]


def _nearest_by_text(
    session: Session, boxed: StoreFilter, centre: Point, radius_m: int, fetch: int
) -> list[StorePoint]:
    """``nearest_store_points`` without a text search's ids: the hot path of "nearby", one statement
    of fixed text per shape of filter. SQLAlchemy spent more CPU building, keying and compiling the
    expression of each request than PostgreSQL spent answering it (py-spy, bench/discovery.py)."""
    box = boxed.box
    assert box is not None
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
    }
    stmt = _nearest_statement(bool(boxed.category), bool(boxed.district), box.west > box.east)
    return [StorePoint(store_id, lat, lng) for store_id, lat, lng in session.execute(stmt, params)]


# The same haversine as ``_distance_sql`` (and ``kit.geo.distance_m``), in the same order of operations.
_DISTANCE = (
    "CAST(:diameter AS float8) * asin(least(CAST(1.0 AS float8), sqrt("
    "power(sin((CAST(latitude_micro AS float8) * CAST(:to_radians AS float8) - CAST(:lat1 AS float8))"
    " * CAST(0.5 AS float8)), CAST(2.0 AS float8))"
    " + CAST(:cos_lat1 AS float8) * cos(CAST(latitude_micro AS float8) * CAST(:to_radians AS float8))"
    " * power(sin((CAST(longitude_micro AS float8) * CAST(:to_radians AS float8) - CAST(:lng1 AS float8))"
    " * CAST(0.5 AS float8)), CAST(2.0 AS float8)))))"
)


@lru_cache(maxsize=8)
def _nearest_statement(category: bool, district: bool, wraps: bool) -> TextClause:
    """The text for one shape of filter (``visible_conditions`` with a box), built once."""
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
    return text(
        f"SELECT public_id, latitude_micro, longitude_micro FROM stores WHERE {where}"  # noqa: S608
        f" AND {_DISTANCE} <= CAST(:reach AS float8) ORDER BY {_DISTANCE}, public_id LIMIT :fetch"
    )
