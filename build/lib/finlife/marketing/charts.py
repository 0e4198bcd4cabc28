"""A campaign's funnel as a picture: one horizontal bar per step, drawn on the server as SVG.

Bars are as long as the step's customers relative to the widest step; a step nobody reached keeps a
short stub so that its row still reads as a bar. Numbers stay integers (SVG user units).
"""

from __future__ import annotations

from dataclasses import dataclass

from finlife.marketing.schemas import FunnelOut, FunnelStep

LABEL_WIDTH = 96  # the step names left of the bars
PLOT_WIDTH = 380
VALUE_WIDTH = 64  # room for the count right of the longest bar
ROW = 34
BAR_HEIGHT = 22
ZERO_STUB = 3


@dataclass(frozen=True)
class FunnelBar:
    step: FunnelStep
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 8

    @property
    def empty(self) -> bool:
        return self.step.customers == 0


@dataclass(frozen=True)
class FunnelChart:
    bars: list[FunnelBar]
    left: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    width: int = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH

    @property
    def height(self) -> int:
        return len(self.bars) * ROW


def funnel_chart(funnel: FunnelOut) -> FunnelChart:
    widest = max((step.customers for step in funnel.steps), default=0)
    bars = [
        FunnelBar(
            step=step,
            y=index * ROW + (ROW - BAR_HEIGHT) // 2,
            width=max(ZERO_STUB, PLOT_WIDTH * step.customers // widest) if widest else ZERO_STUB,
        )
        for index, step in enumerate(funnel.steps)
    ]
    return FunnelChart(bars=bars)
