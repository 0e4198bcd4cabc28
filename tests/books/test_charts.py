"""books.charts: the month's profit picture is as wide as the whole month, each bar at its day."""

from __future__ import annotations

from finlife.books.charts import AXIS_WIDTH, SLOT, profit_chart
from finlife.books.schemas import PnlRow


def _day(period: str, profit: int) -> PnlRow:
    return PnlRow(
        period=period,
        revenue=max(profit, 0),
        fees=0,
        coupon_cost=0,
        expenses=0,
        other_income=0,
        profit=profit,
    )


def test_a_months_first_week_is_drawn_as_wide_as_the_whole_month() -> None:
    week = [_day(f"2026-12-{d:02d}", 8_800 if d == 6 else 0) for d in range(1, 8)]
    month = [_day(f"2026-12-{d:02d}", 8_800 if d == 6 else 0) for d in range(1, 32)]
    early, whole = profit_chart(week), profit_chart(month)
    assert early.width == whole.width == AXIS_WIDTH + 31 * SLOT + 8
    # The 6th stands at the same place in both, and each day at its own slot.
    assert early.bars[5].x == whole.bars[5].x
    assert [b.x for b in early.bars] == [whole.bars[i].x for i in range(7)]
    assert whole.bars[1].x - whole.bars[0].x == SLOT


def test_february_and_a_day_missing_keep_each_bar_at_its_day() -> None:
    days = [_day("2026-02-01", 100), _day("2026-02-03", -100)]  # the 2nd has no row
    chart = profit_chart(days)
    assert chart.width == AXIS_WIDTH + 28 * SLOT + 8
    assert chart.bars[1].x - chart.bars[0].x == 2 * SLOT
    assert chart.bars[1].loss


def test_rows_that_are_not_days_are_drawn_one_after_another() -> None:
    months = [_day("2026-11", 100), _day("2026-12", 200)]
    chart = profit_chart(months)
    assert chart.width == AXIS_WIDTH + 2 * SLOT + 8
    assert chart.bars[1].x - chart.bars[0].x == SLOT
