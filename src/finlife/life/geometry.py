"""Distances and shapes on the Earth for districts and discovery (not money: floats are fine here).

Points come in as integer micro-degrees (degrees × 10⁶), the way they are stored.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
MICRO = 1_000_000

Point = tuple[int, int]  # (latitude, longitude) in micro-degrees


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
