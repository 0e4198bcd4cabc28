"""Positions on the Earth: degrees in and out, distances and shapes (not money: floats are fine here).

Points are integer micro-degrees (degrees × 10⁶), the way they are stored; degrees arrive as exact
decimals and leave as strings of six decimals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from fastapi.exceptions import RequestValidationError

from finlife.kit.errors import RuleViolation

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
MICRO = 1_000_000

Point = tuple[int, int]  # (latitude, longitude) in micro-degrees


class InvalidCoordinates(RuleViolation):
    def __init__(self, field: str) -> None:
        super().__init__("invalid_coordinates", field=field)


def micro_degrees(value: Decimal, limit: int, field: str) -> int:
    """Degrees to integer micro-degrees: finite, within ±limit, at most six decimals."""
    if not value.is_finite() or abs(value) > limit:
        raise InvalidCoordinates(field)
    micro = value * MICRO
    if micro != micro.to_integral_value():
        raise InvalidCoordinates(field)
    return int(micro)


def point_from_query(lat: Decimal | None, lng: Decimal | None) -> Point | None:
    """A position from ``lat`` and ``lng`` query parameters: both or neither. Half a position is a
    validation error (422) naming the missing half, as a missing required parameter would be."""
    if lat is None and lng is None:
        return None
    if lat is None or lng is None:
        missing = "lat" if lat is None else "lng"
        given = "lng" if lat is None else "lat"
        raise RequestValidationError(
            [
                {
                    "type": "missing",
                    "loc": ("query", missing),
                    "msg": f"Field required with {given}",
                    "input": None,
                }
            ]
        )
    return micro_degrees(lat, 90, "lat"), micro_degrees(lng, 180, "lng")


def degrees(micro: int) -> str:
    """Integer micro-degrees as a degree string of six decimals, e.g. 31232000 → "31.232000"."""
    return f"{Decimal(micro) / MICRO:.6f}"


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres by the haversine formula."""
    lat1, lng1 = math.radians(a[0] / MICRO), math.radians(a[1] / MICRO)
    lat2, lng2 = math.radians(b[0] / MICRO), math.radians(b[1] / MICRO)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def within_circle(point: Point, centre: Point, radius_m: int) -> bool:
    return distance_m(point, centre) <= radius_m


def within_polygon(point: Point, polygon: Sequence[Point]) -> bool:
    """Ray casting on the plane of latitude/longitude (districts are small; no antimeridian in China)."""
    lat, lng = point
    inside = False
    count = len(polygon)
    for i in range(count):
        lat_i, lng_i = polygon[i]
        lat_j, lng_j = polygon[i - 1]
        # Does the edge cross the horizontal line through the point, to the point's east?
        if (lat_i > lat) != (lat_j > lat):
            crossing_lng = lng_i + (lat - lat_i) * (lng_j - lng_i) / (lat_j - lat_i)
            if lng < crossing_lng:
                inside = not inside
    return inside
