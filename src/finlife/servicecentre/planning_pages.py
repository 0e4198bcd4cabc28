"""Channel planning on the console (/bank/channels): transactions per hour stacked by channel (SVG drawn
on the server), the per channel and hour table, preferred-channel changes, service quality, and the
CSV export in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor, Channel
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability
from finlife.servicecentre import planning
from finlife.servicecentre.api import csv_response
from finlife.servicecentre.planning_schemas import PlanningOut
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Planner = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CHANNEL_PLANNING))]
Day = Annotated[str, Query(max_length=10)]
PAGE = "/bank/channels"
DEFAULT_DAYS = 14
SLOT, BAR, TOP, PLOT, WIDTH = 28, 20, 10, 160, 24 * 28
ORDER = [c.value for c in Channel]

# A part of the page from a module beside this one (insights: the channel mix of each segment):
# given the request, a session and the reader, its HTML.
PlanningSection = Callable[[Request, Session, Actor], Markup]
_sections: list[PlanningSection] = []


def register_section(section: PlanningSection) -> None:
    """Add a section below the page's own figures (once; app.py wires them at start-up)."""
    if section not in _sections:
        _sections.append(section)


def _sections_for(request: Request, actor: Actor) -> list[Markup]:
    with request.app.state.db.unit_of_work() as session:
        return [section(request, session, actor) for section in _sections]


@dataclass(frozen=True)
class Segment:
    channel: str
    y: int
    height: int
    count: int


@dataclass(frozen=True)
class HourBar:
    hour: int
    x: int
    total: int
    segments: list[Segment]


def hour_chart(figures: PlanningOut) -> tuple[list[HourBar], int]:
    """One column per hour, a segment per channel placed by the running total (no gaps, no overlaps)."""
    by_hour: dict[int, dict[str, int]] = {h: {} for h in range(24)}
    for row in figures.hours:
        if row.transactions:
            by_hour[row.hour][row.channel] = row.transactions
    peak = max((sum(c.values()) for c in by_hour.values()), default=0)
    bars = []
    for hour, counts in by_hour.items():
        running, segments = 0, []
        for channel in sorted(counts, key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER)):
            low = TOP + PLOT - PLOT * running // peak if peak else TOP + PLOT
            running += counts[channel]
            high = TOP + PLOT - PLOT * running // peak
            segments.append(Segment(channel, high, low - high, counts[channel]))
        bars.append(HourBar(hour, hour * SLOT + (SLOT - BAR) // 2, running, segments))
    return bars, peak


def _period(start: str, end: str) -> tuple[date, date]:
    today = clock.business_day()
    try:
        return (
            date.fromisoformat(start) if start else today - timedelta(days=DEFAULT_DAYS - 1),
            date.fromisoformat(end) if end else today,
        )
    except ValueError:
        return today - timedelta(days=DEFAULT_DAYS - 1), today


def _figures(
    request: Request, actor: Actor, first: date, last: date, *, every_change: bool = False
) -> PlanningOut | FinlifeError:
    listed = None if every_change else planning.SHIFTS_LISTED
    with request.app.state.db.unit_of_work() as session:
        try:
            return planning.channel_planning(session, actor, start=first, end=last, listed=listed)
        except FinlifeError as refused:
            return refused


@router.get(PAGE, response_class=HTMLResponse)
def channels_page(
    request: Request,
    actor: Planner,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:
    first, last = _period(start, end)
    figures = _figures(request, actor, first, last)
    error = None
    if isinstance(figures, FinlifeError):
        error = figures.message(language_of(request))
        first, last = _period("", "")
        figures = _figures(request, actor, first, last)
        assert not isinstance(figures, FinlifeError)  # the default period is always valid
    bars, peak = hour_chart(figures)
    channels = sorted(
        {row.channel for row in figures.hours}, key=lambda c: ORDER.index(c) if c in ORDER else 99
    )
    return render(
        request,
        "servicecentre/channels.html",
        status_code=422 if error else 200,
        error=error,
        figures=figures,
        first=first,
        last=last,
        bars=bars,
        peak=peak,
        channels=channels,
        sections=_sections_for(request, actor),
        chart={"width": WIDTH, "height": TOP + PLOT + 22, "bar": BAR, "baseline": TOP + PLOT},
    )


@router.get(PAGE + ".csv")
def channels_csv(
    request: Request,
    actor: Planner,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    first, last = _period(start, end)
    figures = _figures(request, actor, first, last)
    if isinstance(figures, FinlifeError):
        return Response(figures.message(language_of(request)), status_code=422, media_type="text/plain")
    text = planning.planning_csv(figures, language_of(request))
    return csv_response(text, f"channels-{first}-{last}.csv")


@router.get(PAGE + "/changes.csv")
def changes_csv(
    request: Request,
    actor: Planner,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> Response:
    """Every customer whose preferred channel changed in the period (the page lists the first 200)."""
    first, last = _period(start, end)
    figures = _figures(request, actor, first, last, every_change=True)
    if isinstance(figures, FinlifeError):
        return Response(figures.message(language_of(request)), status_code=422, media_type="text/plain")
    return csv_response(
        planning.changes_csv(figures, language_of(request)), f"channel-changes-{first}-{last}.csv"
    )
