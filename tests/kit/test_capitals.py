"""Amounts in capitals, against figures written out by hand the way vouchers print them."""

from __future__ import annotations

import pytest

from finlife.kit.capitals import capitals


@pytest.mark.parametrize(
    ("fen", "written"),
    [
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角整"),
        (105, "壹元零伍分"),
        (123_450, "壹仟贰佰叁拾肆元伍角整"),
        (101_000, "壹仟零壹拾元整"),
        (1_000_500, "壹万零伍元整"),
        (10_000_000, "壹拾万元整"),
        (100_001_000, "壹佰万零壹拾元整"),
        (1_000_000_000_00, "壹拾亿元整"),
        (100_000_000_00, "壹亿元整"),
        (100_010_000_00, "壹亿零壹万元整"),
        (123_456_789_01, "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元零壹分"),
        (200_000_000_99, "贰亿元玖角玖分"),
    ],
)
def test_capitals_as_vouchers_write_them(fen: int, written: str) -> None:
    assert capitals(fen) == written


def test_a_negative_amount_has_no_capitals() -> None:
    with pytest.raises(ValueError):
        capitals(-1)
