"""Great-circle distances, ray casting and opening hours (including past midnight)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from finlife.kit.geo import distance_m, within_circle, within_polygon
from finlife.life.service import open_now


def _law_of_cosines_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """An independent formula for the same sphere, to check haversine against."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    cos_c = math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lng2 - lng1)
    return 6_371_008.8 * math.acos(min(1.0, cos_c))


def test_peoples_square_to_the_bund_is_about_1_35_km() -> None:
    metres = distance_m((31_232_000, 121_475_000), (31_237_800, 121_487_500))
    assert abs(metres - _law_of_cosines_m((31.2320, 121.4750), (31.2378, 121.4875))) < 1
    assert abs(metres - 1_352) <= 1_352 * 0.01


def test_nashville_to_los_angeles_matches_the_published_haversine_value() -> None:
    # The classic worked example: 2886.444 km on a sphere of 6372.8 km; scaled to the mean radius.
    expected = 2_886_444 * 6_371.0088 / 6_372.8
    metres = distance_m((36_120_000, -86_670_000), (33_940_000, -118_400_000))
    assert abs(metres - expected) <= expected * 0.01


def test_a_point_is_zero_metres_from_itself_and_inside_a_circle_around_it() -> None:
    assert distance_m((31_232_000, 121_475_000), (31_232_000, 121_475_000)) == 0
    assert within_circle((31_237_800, 121_487_500), (31_232_000, 121_475_000), 1_400)
    assert not within_circle((31_237_800, 121_487_500), (31_232_000, 121_475_000), 1_300)


SQUARE = [
    (31_230_000, 121_470_000),
    (31_230_000, 121_480_000),
    (31_240_000, 121_480_000),
    (31_240_000, 121_470_000),
]
# A concave "L": the square without its north-east quarter.
L_SHAPE = [
    (31_230_000, 121_470_000),
    (31_230_000, 121_480_000),
    (31_235_000, 121_480_000),
    (31_235_000, 121_475_000),
    (31_240_000, 121_475_000),
    (31_240_000, 121_470_000),
]


@pytest.mark.parametrize(
    ("point", "inside_square", "inside_l"),
    [
        ((31_232_000, 121_472_000), True, True),
        ((31_238_000, 121_478_000), True, False),  # the missing quarter
        ((31_238_000, 121_472_000), True, True),
        ((31_250_000, 121_475_000), False, False),
        ((31_235_000, 121_490_000), False, False),
    ],
)
def test_ray_casting_handles_convex_and_concave_polygons(
    point: tuple[int, int], inside_square: bool, inside_l: bool
) -> None:
    assert within_polygon(point, SQUARE) is inside_square
    assert within_polygon(point, L_SHAPE) is inside_l


def _at_shanghai(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, (hour - 8) % 24, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("hours", "hour", "minute", "expected"),
    [
        ("10:00-22:00", 9, 59, False),
        ("10:00-22:00", 10, 0, True),
        ("10:00-22:00", 22, 0, False),
        ("18:00-02:00", 23, 30, True),
        ("18:00-02:00", 1, 59, True),
        ("18:00-02:00", 2, 0, False),
        ("18:00-02:00", 12, 0, False),
        ("06:00-24:00", 23, 59, True),
        ("06:00-24:00", 5, 0, False),
    ],
)
def test_open_now_reads_shanghai_time_and_hours_past_midnight(
    hours: str, hour: int, minute: int, expected: bool
) -> None:
    assert open_now(hours, _at_shanghai(hour, minute)) is expected
