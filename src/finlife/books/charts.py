"""The month's profit as a picture: one bar per day, up for a profit and down for a loss, drawn on
the server as SVG (no script, no chart library). Integers only (SVG user units).

The picture is as wide as the whole month whatever days it has so far, each bar at its day's place:
the SVG is scaled to its card's width, so a chart of a month's first week drawn a week wide came out
four times the size, its labels as large as the page's title."""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from finlife.books.schemas import PnlRow

SLOT = 22  # per day
BAR_WIDTH = 14
AXIS_WIDTH = 64
PLOT_TOP = 12
PLOT_HEIGHT = 180
LABEL_ROOM = 24
ZERO_STUB = 1


@dataclass(frozen=True)
class DayBar:
    row: PnlRow
    x: int
    y: int
    height: int

    @property
    def loss(self) -> bool:
        return self.row.profit < 0

    @property
    def day(self) -> str:
        return self.row.period[-2:]

    @property
    def label_x(self) -> int:
        return self.x + BAR_WIDTH // 2


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class ProfitChart:
    bars: list[DayBar]
    ticks: list[Tick]
    baseline: int  # the y of zero
    width: int
    height: int = PLOT_TOP + PLOT_HEIGHT + LABEL_ROOM
    left: int = AXIS_WIDTH


def _step(span: int) -> int:
    """A readable gridline step (¥1, ¥2, ¥5, ¥10, …) so that about four cover ``span`` fen."""
    step = 100
    while True:
        for factor in (1, 2, 5):
            if step * factor * 4 >= span:
                return step * factor
        step *= 10


def profit_chart(rows: list[PnlRow]) -> ProfitChart:
    top = max([0, *(row.profit for row in rows)])
    bottom = min([0, *(row.profit for row in rows)])
    step = _step(max(top - bottom, 1))
    high = -(-top // step) * step
    low = -(bottom // step) * step  # bottom ≤ 0: rounded away from zero, as a positive depth
    span = max(high + low, step)

    def y_of(amount: int) -> int:
        return PLOT_TOP + (high - amount) * PLOT_HEIGHT // span

    baseline = y_of(0)
    bars = []
    for index, row in enumerate(rows):
        end = y_of(row.profit)
        height = max(abs(end - baseline), ZERO_STUB)
        y = end if row.profit > 0 else baseline
        slot = _day_of(row) - 1 if _day_of(row) else index
        bars.append(DayBar(row=row, x=AXIS_WIDTH + slot * SLOT + (SLOT - BAR_WIDTH) // 2, y=y, height=height))
    ticks = [Tick(y=y_of(value), label=f"¥{value // 100:,}") for value in range(-low, high + 1, step)]
    slots = max(_days_in_month(rows), len(rows))
    return ProfitChart(bars=bars, ticks=ticks, baseline=baseline, width=AXIS_WIDTH + slots * SLOT + 8)


def _day_of(row: PnlRow) -> int:
    """The day of the month of a day's row (``YYYY-MM-DD``); 0 for any other period."""
    return int(row.period[8:]) if len(row.period) == 10 else 0


def _days_in_month(rows: list[PnlRow]) -> int:
    """How many days the rows' month has (0 if the rows are not days)."""
    if not rows or not _day_of(rows[0]):
        return 0
    year, month = int(rows[0].period[:4]), int(rows[0].period[5:7])
    return calendar.monthrange(year, month)[1]
