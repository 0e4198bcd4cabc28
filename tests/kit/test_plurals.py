"""Counts agree with their noun in English: "1 coupon", "2 coupons"; Chinese keeps its measure words."""

from __future__ import annotations

import pytest

import finlife.app  # noqa: F401 - every module's words registered
from finlife.kit.i18n import CATALOGUE, translate


@pytest.mark.parametrize(
    ("count", "english"), [(0, "0 coupons"), (1, "1 coupon"), (2, "2 coupons"), ("1", "1 coupon")]
)
def test_an_english_count_takes_the_singular_only_for_one(count: object, english: str) -> None:
    assert translate("ui.life.coupon_count", "en", {"count": count}) == english
    assert translate("ui.life.coupon_count", "zh-CN", {"count": count}) == f"{count} 张券"


def test_refund_requests_and_banks_to_settle_are_counted_in_words() -> None:
    assert translate("ui.interbank.settle", "en", {"count": 1}) == "Settle 1 bank"
    assert translate("ui.interbank.settle", "en", {"count": 3}) == "Settle 3 banks"
    assert translate("ui.refunds.pending_on_order", "en", {"count": 1}).startswith("1 refund request ")
    assert translate("ui.refunds.pending_on_order", "en", {"count": 2}).startswith("2 refund requests ")


def test_no_english_word_says_item_s_any_more() -> None:
    # "(s)" was how English counts were written before the plural form: none is left.
    assert [key for key, words in CATALOGUE.items() if "(s)" in words["en"]] == []
