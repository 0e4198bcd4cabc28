"""The rule alone: window, days with takings, the limit's share, rounding and caps."""

from __future__ import annotations

from datetime import date

from finlife.takings_credit.rule import NoOfferReason, ProductTerms, decide, window

PRODUCT = ProductTerms(
    product_id="lpr_x",
    min_amount=10_000_00,
    max_amount=1_000_000_00,
    min_term_months=6,
    max_term_months=60,
    single_approval_limit=None,
    rate_bp=460,
)


def test_the_window_is_the_90_days_before_today() -> None:
    assert window(date(2026, 12, 4)) == (date(2026, 9, 5), date(2026, 12, 3))


def test_no_takings_no_offer() -> None:
    assert decide([], PRODUCT, loan_outstanding=False).reason is NoOfferReason.NO_TAKINGS
    assert decide([0, 0], PRODUCT, loan_outstanding=False).reason is NoOfferReason.NO_TAKINGS


def test_thirty_days_with_takings_are_needed() -> None:
    assert decide([2_000_00] * 29, PRODUCT, loan_outstanding=False).reason is NoOfferReason.TOO_FEW_DAYS
    offer = decide([2_000_00] * 30, PRODUCT, loan_outstanding=False)
    assert offer.reason is None and offer.days_with_takings == 30


def test_the_limit_is_30_percent_rounded_down_to_whole_hundreds() -> None:
    # 30 days of 1,234.56: 37,036.80 taken, 30 % is 11,111.04 → 11,100.00.
    offer = decide([1_234_56] * 30, PRODUCT, loan_outstanding=False)
    assert (offer.takings, offer.limit, offer.term_months) == (37_036_80, 11_100_00, 12)


def test_the_limit_stays_within_the_product_and_one_approval() -> None:
    rich = [500_000_00] * 90
    assert decide(rich, PRODUCT, loan_outstanding=False).limit == 1_000_000_00
    single = ProductTerms(**{**PRODUCT.__dict__, "single_approval_limit": 200_000_00})
    assert decide(rich, single, loan_outstanding=False).limit == 200_000_00


def test_below_the_minimum_an_outstanding_loan_or_no_product_give_no_offer() -> None:
    small = decide([1_000_00] * 30, PRODUCT, loan_outstanding=False)  # 9,000.00 < 10,000.00
    assert small.reason is NoOfferReason.BELOW_MINIMUM
    assert decide([5_000_00] * 60, PRODUCT, loan_outstanding=True).reason is NoOfferReason.LOAN_OUTSTANDING
    assert decide([5_000_00] * 60, None, loan_outstanding=False).reason is NoOfferReason.NO_PRODUCT


def test_refunds_that_outweigh_a_day_do_not_count_against_the_others() -> None:
    offer = decide([-500_00] + [2_000_00] * 30, PRODUCT, loan_outstanding=False)
    assert (offer.takings, offer.days_with_takings, offer.limit) == (60_000_00, 30, 18_000_00)
