"""What a coupon takes off an order and how the cost divides among its funders: pure arithmetic in fen.

A bought coupon always takes off at least what the customer paid for it (up to the order's value), and
that price — already paid — funds the discount first; the merchant, branch and head office share the
rest by their percentages, the fen left by rounding going to the largest shares first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from finlife.marketing.errors import CouponUnusable
from finlife.marketing.schemas import CouponKind, Funder, PricedLine


@dataclass(frozen=True, slots=True)
class Terms:
    kind: CouponKind
    value: int
    min_spend: int
    cap: int | None
    free_variation_id: str | None
    categories: frozenset[str] | None  # casefolded; None: every line
    price: int


def in_scope(lines: Sequence[PricedLine], categories: frozenset[str] | None) -> list[PricedLine]:
    if categories is None:
        return list(lines)
    return [line for line in lines if line.category is not None and line.category.casefold() in categories]


def percent_of(base: int, percent: int) -> int:
    """``percent`` % of ``base`` fen, rounded half-up to the fen (the written rule, CONTRIBUTING.md):
    12 % off ¥12.55 is ¥1.506 → ¥1.51; exactly half a fen goes up (5 % of ¥0.10 → ¥0.01)."""
    return (base * percent + 50) // 100  # both are whole and non-negative: exact, no float


def discount_of(terms: Terms, lines: Sequence[PricedLine], *, room: int, code: str) -> int:
    """What the coupon takes off these lines, never more than ``room`` (what is left of the order).

    Refuses (422) a coupon that touches no line, misses its minimum spend or its free item.
    """
    scoped = in_scope(lines, terms.categories)
    base = sum(line.line_total for line in scoped)
    if base <= 0:
        raise CouponUnusable("coupon_not_for_goods", code)
    if base < terms.min_spend:
        raise CouponUnusable("coupon_min_spend", code, min_spend=terms.min_spend)
    if terms.kind is CouponKind.FIXED or terms.kind is CouponKind.THRESHOLD:
        off = terms.value
    elif terms.kind is CouponKind.PERCENT:
        off = percent_of(base, terms.value)
        if terms.cap is not None:
            off = min(off, terms.cap)
    else:
        free = [line for line in scoped if line.variation_id == terms.free_variation_id and line.quantity > 0]
        if not free:
            raise CouponUnusable("coupon_not_for_goods", code)
        off = free[0].unit_price
    off = max(off, min(terms.price, base))
    return min(off, base, room)


def split(amount: int, shares: dict[Funder, int]) -> dict[Funder, int]:
    """Divide ``amount`` fen by whole percentages summing to 100; exact to the fen (largest remainder)."""
    parts = {funder: amount * percent // 100 for funder, percent in shares.items()}
    left = amount - sum(parts.values())
    by_remainder = sorted(
        (funder for funder, percent in shares.items() if percent > 0),
        key=lambda funder: (-(amount * shares[funder] % 100), -shares[funder], funder.value),
    )
    for funder in by_remainder[:left]:
        parts[funder] += 1
    return parts


def pro_rata(part: int, refunded: int, paid: int) -> int:
    """The share of ``part`` that a refund of ``refunded`` out of ``paid`` gives back (floor, exact at
    a full refund, so successive partial refunds add up to the whole)."""
    if paid <= 0:
        return part
    return part * min(refunded, paid) // paid
