"""Merchant fees: integer arithmetic, half-up to the fen, each part capped on its own."""

from __future__ import annotations

import pytest

from finlife.payments.service import merchant_fee
from finlife.payments.service.fees import part
from finlife.settings import Settings


@pytest.mark.parametrize(
    ("amount", "rate_ppm", "expected"),
    [(5, 100_000, 1), (4, 100_000, 0), (15, 100_000, 2), (25, 100_000, 3), (1, 3_500, 0), (143, 3_500, 1)],
)
def test_a_part_rounds_half_up_to_the_fen(amount: int, rate_ppm: int, expected: int) -> None:
    assert part(amount, rate_ppm) == expected


def test_the_defaults_follow_the_2016_fee_reform(settings: Settings) -> None:
    small = merchant_fee(settings, 10_000)  # ¥100.00
    assert (small.issuer, small.network, small.acquirer, small.total) == (35, 3, 10, 48)
    # ¥10,000: issuer 0.35 % = ¥35 capped at ¥13; network 0.0325 % = ¥3.25, exactly its cap.
    large = merchant_fee(settings, 1_000_000)
    assert (large.issuer, large.network, large.acquirer) == (1_300, 325, 1_000)
    huge = merchant_fee(settings, 100_000_000)
    assert (huge.issuer, huge.network, huge.acquirer) == (1_300, 325, 100_000)


def test_the_issuer_cap_starts_where_the_rate_reaches_it(settings: Settings) -> None:
    assert merchant_fee(settings, 371_428).issuer == 1_300  # 1 299.998 rounds up to the cap
    assert merchant_fee(settings, 371_285).issuer == 1_299  # 1 299.4975 rounds down
    assert merchant_fee(settings, 371_286).issuer == 1_300  # 1 299.501 rounds up
