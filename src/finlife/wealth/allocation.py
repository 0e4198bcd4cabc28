"""How a day's income is shared, to the fen, so that the holders' parts add up to the fund's total.

A holding of U fen-units earns U × 万份收益 / 10,000 fen (a unit is 1.00 CNY, 100 fen-units). With
the yield as an integer p of ten-thousandths of a yuan, that is U × p / 10⁸ fen exactly. The fund
distributes the exact total rounded down to the fen; each holding gets its exact share rounded
down, and the fen left over (fewer than the number of holdings) go one each to the holdings with
the largest remainders, ties to the older holding (largest-remainder, Hamilton's method). So no
holding gets more than a fen above its exact share, none loses a whole fen, and the sum is the
fund's total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

SCALE = 10**8  # fen-units × (CNY per 10,000 units in ten-thousandths) → fen


def yield_scaled(per_10k: Decimal) -> int:
    """万份收益 in ten-thousandths of a yuan (it is published with four decimals)."""
    return int((per_10k * 10_000).to_integral_exact())


def allocate(holdings: Sequence[tuple[int, int]], per_10k: Decimal) -> tuple[int, dict[int, int]]:
    """(the fund's total in fen, each holding's part) for holdings given as (pk, fen-units)."""
    p = yield_scaled(per_10k)
    numerators = [(pk, units * p) for pk, units in holdings if units > 0]
    total = sum(n for _, n in numerators) // SCALE
    parts = {pk: n // SCALE for pk, n in numerators}
    left = total - sum(parts.values())
    by_remainder = sorted(numerators, key=lambda item: (-(item[1] % SCALE), item[0]))
    for pk, _ in by_remainder[:left]:
        parts[pk] += 1
    return total, parts
