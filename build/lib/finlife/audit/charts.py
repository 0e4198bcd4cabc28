"""Channel activity as a picture: one stacked bar per business day, a segment per channel, drawn on the
server as SVG (no script, no chart library), like the merchant's hourly sales chart.

Segments are placed by the running total of the day's channels, so rounding never opens a gap or
an overlap between them, and the bar's top is exactly the day's total on the axis.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from finlife.audit.schemas import ChannelActivityOut
from finlife.kit.auth import Channel

AXIS_WIDTH = 48
PLOT_WIDTH = 720
PLOT_TOP = 12
PLOT_HEIGHT = 220
LABEL_HEIGHT = 28  # the dates under the bars
MIN_SLOT = 6
MAX_LABELS = 10  # dates written under the axis; the others are in the table below the chart
# Stacking order, bottom up: the enum's order, so a channel keeps its place from day to day.
CHANNEL_ORDER = [channel.value for channel in Channel]


@dataclass(frozen=True)
class Segment:
    channel: str
    count: int
    y: int
    height: int


@dataclass(frozen=True)
class DayBar:
    day: date
    total: int
    x: int
    segments: list[Segment]
    label: str | None  # "11-30" under every few bars, None where it would crowd its neighbours


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class ActivityChart:
    bars: list[DayBar]
    ticks: list[Tick]
    channels: list[str]  # those with any activity, in stacking order (the legend)
    bar_width: int
    width: int
    height: int
    left: int = AXIS_WIDTH
    baseline: int = PLOT_TOP + PLOT_HEIGHT


def _steps() -> Iterator[int]:
    """Axis steps people read at a glance: 1, 2, 5, 10, 20, 50, …"""
    magnitude = 1
    while True:
        yield from (magnitude, 2 * magnitude, 5 * magnitude)
        magnitude *= 10


def axis_step(peak: int, intervals: int = 4) -> int:
    return next(step for step in _steps() if step * intervals >= peak)


def _ordered(channels: dict[str, int]) -> list[str]:
    known = [c for c in CHANNEL_ORDER if c in channels]
    return known + sorted(c for c in channels if c not in CHANNEL_ORDER)


def activity_chart(activity: ChannelActivityOut) -> ActivityChart:
    count = len(activity.days)
    slot = max(MIN_SLOT, PLOT_WIDTH // max(count, 1))
    bar_width = max(4, slot * 2 // 3)
    peak = max((day.total for day in activity.days), default=0)
    step = axis_step(max(peak, 1))
    lines = max(1, -(-peak // step))  # ceiling: the top gridline is at or above the busiest day
    axis_max = step * lines
    baseline = PLOT_TOP + PLOT_HEIGHT
    every = -(-count // MAX_LABELS)

    def height_of(value: int) -> int:
        return (value * PLOT_HEIGHT + axis_max // 2) // axis_max

    bars = []
    for index, day in enumerate(activity.days):
        segments = []
        below = 0
        for channel in _ordered(day.by_channel):
            amount = day.by_channel[channel]
            bottom, top = height_of(below), height_of(below + amount)
            segments.append(Segment(channel, amount, baseline - top, max(top - bottom, 1)))
            below += amount
        label = day.day.strftime("%m-%d") if (count - 1 - index) % every == 0 else None
        x = AXIS_WIDTH + index * slot + (slot - bar_width) // 2
        bars.append(DayBar(day.day, day.total, x, segments, label))
    ticks = [Tick(baseline - PLOT_HEIGHT * i // lines, f"{step * i:,}") for i in range(lines + 1)]
    return ActivityChart(
        bars=bars,
        ticks=ticks,
        channels=_ordered(activity.by_channel),
        bar_width=bar_width,
        width=AXIS_WIDTH + count * slot + 8,
        height=baseline + LABEL_HEIGHT,
    )
