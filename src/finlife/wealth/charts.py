"""The 7-day yield as a small line chart, drawn on the server as SVG (no script, no CDN).

Points are spread evenly over the days published (business days only, so a weekend leaves no gap);
the vertical range is the published values' own, padded, so small moves in a yield stay visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finlife.wealth.schemas import YieldOut

WIDTH, HEIGHT, PAD = 320, 120, 12


@dataclass(frozen=True)
class YieldChart:
    points: str  # the polyline's "x,y x,y …"
    first: str
    last: str
    low: str
    high: str
    days: int
    width: int = WIDTH
    height: int = HEIGHT


def yield_chart(yields: list[YieldOut]) -> YieldChart | None:
    """None with fewer than two days published (a line needs two points)."""
    if len(yields) < 2:
        return None
    values = [Decimal(y.seven_day) for y in yields]
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = Decimal(WIDTH - 2 * PAD) / (len(values) - 1)
    points = " ".join(
        f"{PAD + step * i:.1f},{HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD):.1f}"
        for i, v in enumerate(values)
    )
    return YieldChart(
        points=points,
        first=f"{values[0]:.4f}",
        last=f"{values[-1]:.4f}",
        low=f"{low:.4f}",
        high=f"{high:.4f}",
        days=len(values),
    )
