"""Where to look around a point: the bounding box of a circle, so that the database narrows the stores
on its (latitude, longitude) index before any great-circle distance is computed.

Points are integer micro-degrees. The box is exact for a circle on the sphere (the widest longitude of
a circle of angular radius r around latitude φ is asin(sin r / cos φ)), plus a micro-degree of margin,
so no store within the radius is ever left out; what the box lets through beyond the circle is dropped
by the distance check afterwards.
"""

from __future__ import annotations

import math

from finlife.kit.geo import EARTH_RADIUS_M, MICRO, Point
from finlife.merchants.service.discovery import Box

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
