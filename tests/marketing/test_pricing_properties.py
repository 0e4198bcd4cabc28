"""Coupon pricing holds for any order and any stack of coupons (Hypothesis).

Each coupon is priced as a hold prices it (``redemption._evaluate``, without the database): what it
takes off (``discount_of``) shrinks the room left for the next one, the price a bought coupon was paid
funds its discount first, and the rest is ``split`` among the funders by their percentages. Whatever the
lines, kinds (amount off, percent off such as 88折 = 12 % off, 满减 thresholds, caps, free items),
prices and shares: the total never goes negative, no coupon takes more than its lines or what is left,
the funders' parts add up to the discount to the fen, each within a fen of its exact share, a percent
discount is rounded down to the fen, and a refund's pro-rata parts add up to the whole.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from finlife.marketing.errors import CouponUnusable
from finlife.marketing.schemas import CouponKind, Funder, PricedLine
from finlife.marketing.service.pricing import Terms, discount_of, pro_rata, split

CATEGORIES = ("咖啡", "甜点", "简餐")
VARIATIONS = ("var_a", "var_b", "var_c")
BOUNDED = settings(max_examples=200, deadline=None)


@st.composite
def lines(draw: st.DrawFn) -> list[PricedLine]:
    drawn = []
    for _ in range(draw(st.integers(1, 4))):
        unit_price = draw(st.integers(0, 50_000))
        quantity = draw(st.integers(1, 5))
        drawn.append(
            PricedLine(
                variation_id=draw(st.sampled_from((*VARIATIONS, None))),
                category=draw(st.sampled_from((*CATEGORIES, None))),
                unit_price=unit_price,
                quantity=quantity,
                line_total=unit_price * quantity,
            )
        )
    return drawn


@st.composite
def terms(draw: st.DrawFn) -> Terms:
    kind = draw(st.sampled_from(list(CouponKind)))
    value = draw(st.integers(1, 100)) if kind is CouponKind.PERCENT else draw(st.integers(1, 60_000))
    cap = draw(st.integers(1, 60_000)) if kind is CouponKind.PERCENT else None
    face = cap if cap is not None else value
    min_spend = draw(st.integers(0, 80_000))
    if kind is CouponKind.THRESHOLD:
        min_spend = max(min_spend, value + 1)  # as campaigns are validated: 满 more than 减
    categories = draw(st.one_of(st.none(), st.sets(st.sampled_from(CATEGORIES), min_size=1)))
    return Terms(
        kind=kind,
        value=value,
        min_spend=min_spend,
        cap=cap,
        free_variation_id=draw(st.sampled_from(VARIATIONS)) if kind is CouponKind.FREE_ITEM else None,
        categories=frozenset(c.casefold() for c in categories) if categories else None,
        price=draw(st.integers(0, max(face - 1, 0))),  # a coupon is sold below its face value
    )


@st.composite
def shares(draw: st.DrawFn) -> dict[Funder, int]:
    merchant = draw(st.integers(0, 100))
    branch = draw(st.integers(0, 100 - merchant))
    return {Funder.MERCHANT: merchant, Funder.BRANCH: branch, Funder.HQ: 100 - merchant - branch}


@BOUNDED
@given(order=lines(), stack=st.lists(st.tuples(terms(), shares()), min_size=1, max_size=3))
def test_a_stack_of_coupons_never_takes_more_than_the_order_and_its_funders_pay_it_exactly(
    order: list[PricedLine], stack: list[tuple[Terms, dict[Funder, int]]]
) -> None:
    subtotal = sum(line.line_total for line in order)
    room = subtotal
    for n, (coupon, funders) in enumerate(stack):
        scoped = sum(
            line.line_total
            for line in order
            if coupon.categories is None
            or (line.category is not None and line.category.casefold() in coupon.categories)
        )
        try:
            off = discount_of(coupon, order, room=room, code=f"C{n}")
        except CouponUnusable as refused:
            assert refused.code in {"coupon_not_for_goods", "coupon_min_spend"}
            assert scoped <= 0 or scoped < coupon.min_spend or coupon.kind is CouponKind.FREE_ITEM
            continue
        assert scoped > 0 and scoped >= coupon.min_spend  # only a usable coupon is priced
        assert 0 <= off <= min(scoped, room)
        assert off >= min(coupon.price, scoped, room)  # a bought coupon takes off at least its price
        if coupon.kind is CouponKind.PERCENT and coupon.price == 0:
            exact = (scoped * coupon.value + 50) // 100  # rounded half-up to the fen, then capped
            assert off == min(exact, coupon.cap or exact, room)
            assert off * 100 <= scoped * coupon.value + 50
        if coupon.kind in (CouponKind.FIXED, CouponKind.THRESHOLD):
            assert off == min(max(coupon.value, min(coupon.price, scoped)), scoped, room)
        room -= off
        prepaid = min(coupon.price, off)
        parts = split(off - prepaid, funders)
        assert prepaid + sum(parts.values()) == off  # to the fen
        for funder, percent in funders.items():
            assert parts[funder] >= 0
            assert abs(parts[funder] * 100 - (off - prepaid) * percent) < 100  # within a fen of its share
            if percent == 0:
                assert parts[funder] == 0
    assert 0 <= room <= subtotal  # the order's total after every discount


@BOUNDED
@given(amount=st.integers(0, 10**9), funders=shares())
def test_a_split_adds_up_to_the_amount_and_gives_each_funder_its_share_within_a_fen(
    amount: int, funders: dict[Funder, int]
) -> None:
    parts = split(amount, funders)
    assert set(parts) == set(funders)
    assert sum(parts.values()) == amount
    for funder, percent in funders.items():
        assert amount * percent // 100 <= parts[funder] <= amount * percent // 100 + 1


@BOUNDED
@given(
    part=st.integers(0, 10**6),
    paid=st.integers(1, 10**6),
    cuts=st.lists(st.integers(1, 10**6), min_size=1, max_size=6),
)
def test_partial_refunds_give_back_a_part_in_pieces_that_add_up_to_the_whole(
    part: int, paid: int, cuts: list[int]
) -> None:
    """Refunds of an order (in any pieces, the last taking what is left) give each funder's part back
    as the differences of ``pro_rata`` at the running total, as ``refund_order`` does."""
    refunded, given_back = 0, 0
    for cut in [*cuts, paid]:
        after = min(refunded + cut, paid)
        piece = pro_rata(part, after, paid) - pro_rata(part, refunded, paid)
        assert piece >= 0
        given_back += piece
        refunded = after
    assert refunded == paid
    assert given_back == part
