"""The service centre's figures as pictures, drawn on the server as SVG (no script, no library), as the
audit's channel activity and the marketing funnel are.

``rate_chart``: one horizontal bar per reason, agent or channel, as long as its first-contact
resolution rate (a closed case's share), the closed count beside it. ``day_chart``: one column per day
of cases opened, the part resolved on first contact filled darker.
"""

from __future__ import annotations

from dataclasses import dataclass

from finlife.servicecentre.schemas import FcrFigures

LABEL_WIDTH = 120
PLOT_WIDTH = 360
VALUE_WIDTH = 96
ROW = 30
BAR_HEIGHT = 18
DAY_PLOT_HEIGHT = 160
DAY_TOP = 10
DAY_LABEL_HEIGHT = 24
DAY_WIDTH = 600
MAX_DAY_LABELS = 8


@dataclass(frozen=True)
class RateBar:
    key: str
    label: str
    y: int
    width: int
    rate: float | None
    cases: int
    closed: int
    fcr: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.0f}%"


@dataclass(frozen=True)
class RateChart:
    bars: list[RateBar]
    left: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    plot_width: int = PLOT_WIDTH
    width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW


def rate_chart(figures: list[FcrFigures], labels: dict[str, str]) -> RateChart:
    bars = [
        RateBar(
            key=f.key,
            label=labels.get(f.key, f.key),
            y=index * ROW + (ROW - BAR_HEIGHT) // 2,
            width=round(PLOT_WIDTH * f.first_contact_resolved / f.closed) if f.closed else 0,
            rate=f.rate,
            cases=f.cases,
            closed=f.closed,
            fcr=f.first_contact_resolved,
        )
        for index, f in enumerate(figures)
    ]
    return RateChart(bars)


@dataclass(frozen=True)
class DayColumn:
    day: str
    x: int
    cases: int
    fcr: int
    y: int  # top of the whole column
    height: int
    fcr_y: int
    fcr_height: int
    label: str | None


@dataclass(frozen=True)
class DayChart:
    columns: list[DayColumn]
    column_width: int
    peak: int
    width: int = DAY_WIDTH
    height: int = DAY_TOP + DAY_PLOT_HEIGHT + DAY_LABEL_HEIGHT
    baseline: int = DAY_TOP + DAY_PLOT_HEIGHT


def day_chart(days: list[FcrFigures]) -> DayChart:
    peak = max((d.cases for d in days), default=0)
    slot = DAY_WIDTH // max(1, len(days))
    width = min(40, max(2, slot * 2 // 3))
    every = max(1, -(-len(days) // MAX_DAY_LABELS))
    columns = []
    for index, d in enumerate(days):
        height = DAY_PLOT_HEIGHT * d.cases // peak if peak else 0
        fcr_height = DAY_PLOT_HEIGHT * d.first_contact_resolved // peak if peak else 0
        baseline = DAY_TOP + DAY_PLOT_HEIGHT
        columns.append(
            DayColumn(
                day=d.key,
                x=index * slot + (slot - width) // 2,
                cases=d.cases,
                fcr=d.first_contact_resolved,
                y=baseline - height,
                height=height,
                fcr_y=baseline - fcr_height,
                fcr_height=fcr_height,
                label=d.key[5:] if index % every == 0 else None,
            )
        )
    return DayChart(columns, width, peak)
