"""A percent-off coupon takes its percentage of the goods it covers rounded half-up to the fen: the
written rule of CONTRIBUTING.md ("Rounding of percentage discounts"), checked at the half fen."""

from __future__ import annotations

import pytest

from finlife.marketing.schemas import CouponKind, PricedLine
from finlife.marketing.service.pricing import Terms, discount_of, percent_of


def _percent_off(percent: int, goods: int, *, cap: int | None = None) -> int:
    terms = Terms(
        kind=CouponKind.PERCENT,
        value=percent,
        min_spend=0,
        cap=cap,
        free_variation_id=None,
        categories=None,
        price=0,
    )
    line = PricedLine(variation_id=None, category=None, unit_price=goods, quantity=1, line_total=goods)
    return discount_of(terms, [line], room=goods, code="PCT")


@pytest.mark.parametrize(
    ("percent", "goods", "off"),
    [
        (10, 1_255, 126),  # 125.5 fen: exactly half a fen goes up
        (10, 1_254, 125),  # 125.4 fen: below the half, down
        (10, 1_256, 126),  # 125.6 fen: above the half, up
        (5, 10, 1),  # 0.5 fen: even the smallest half goes up
        (5, 9, 0),  # 0.45 fen: nothing off
        (12, 1_255, 151),  # 88折 on ¥12.55: 150.6 fen
        (12, 123_456, 14_815),  # 88折 on ¥1,234.56: 14,814.72 fen
        (50, 1, 1),  # half of one fen
        (100, 999, 999),
    ],
)
def test_a_percent_off_rounds_half_up_to_the_fen(percent: int, goods: int, off: int) -> None:
    assert percent_of(goods, percent) == off
    assert _percent_off(percent, goods) == off


def test_the_cap_applies_after_rounding() -> None:
    assert _percent_off(10, 1_255, cap=125) == 125  # 126 rounded, then capped to 125
