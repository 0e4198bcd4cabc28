"""The merchant console's money pages: the daily report (/merchant/reports) with its hourly chart drawn
on the server as SVG (no script, no chart library), its CSV export, and the settlement statements
(/merchant/settlements). Bank staff read a merchant's report at /bank/merchants/{id}/reports.

The owner reads them; a cashier sees no money totals (``merchant_books``: not in their menu, 403).
Every page calls the same services as the API, so the figures are the API's figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.kit import csvfile
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.pagination import PageParams
from finlife.kit.permissions import Capability
from finlife.merchants import service as merchants
from finlife.merchants.pages import console_of
from finlife.merchants.schemas import MerchantOut
from finlife.settlement import service
from finlife.settlement.schemas import DailyReportOut, ReportHour, ReportTender
from finlife.web.forms import local_time
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE, MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

BankStaff = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.MERCHANT_BOOKS))]
# The owner reads the books; a cashier's menu does not offer them, and the route refuses them too.
BookReader = Annotated[Actor, Depends(PageAccess.to(MERCHANT_CONSOLE, Capability.MERCHANT_BOOKS))]
Day = Annotated[date | None, Query(alias="date")]

REPORTS = "/merchant/reports"
SETTLEMENTS = "/merchant/settlements"
PER_PAGE = 20
TOP_ITEMS = 10

# The hourly chart's geometry, in SVG user units: 24 slots of 28 beside a 56 wide axis.
SLOT = 28
BAR_WIDTH = 18
AXIS_WIDTH = 56
PLOT_TOP = 22  # room for the peak bar's amount above it
PLOT_HEIGHT = 200
CHART_WIDTH = AXIS_WIDTH + 24 * SLOT + 8
CHART_HEIGHT = PLOT_TOP + PLOT_HEIGHT + 28
ZERO_STUB = 2  # an hour without sales still shows its slot

# What other modules show under a merchant's day (life: the day's reviews). They sit above
# settlement, so app.py plugs them in once at start-up.
ReportSection = Callable[[Request, Session, Actor, str, date], Markup]
_sections: list[ReportSection] = []


def register_report_section(section: ReportSection) -> None:
    """Add a section under the daily report (once; app.py wires them at start-up)."""
    if section not in _sections:
        _sections.append(section)


@dataclass(frozen=True)
class Bar:
    hour: ReportHour
    x: int
    y: int
    height: int
    peak: bool

    @property
    def label_x(self) -> int:
        return self.x + BAR_WIDTH // 2


@dataclass(frozen=True)
class Tick:
    y: int
    label: str  # whole yuan: the axis steps are never below ¥1


@dataclass(frozen=True)
class HourChart:
    bars: list[Bar]
    ticks: list[Tick]
    peak: ReportHour | None  # the hour with the most sales, if anything sold
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    left: int = AXIS_WIDTH
    baseline: int = PLOT_TOP + PLOT_HEIGHT


def _steps() -> Iterator[int]:
    """Axis steps people read at a glance: ¥1, ¥2, ¥5, ¥10, ¥20, ¥50, … (in fen)."""
    magnitude = 100
    while True:
        yield from (magnitude, 2 * magnitude, 5 * magnitude)
        magnitude *= 10


def axis_step(peak: int, intervals: int = 4) -> int:
    """The smallest readable step whose ``intervals`` gridlines reach the peak."""
    return next(step for step in _steps() if step * intervals >= peak)


def hour_chart(hours: list[ReportHour]) -> HourChart:
    """Bars of the 24 hours scaled to a rounded axis; heights are integers of the SVG's units."""
    top = max(hours, key=lambda hour: hour.gross, default=None)
    peak_gross = top.gross if top is not None else 0
    step = axis_step(peak_gross)
    lines = max(1, -(-peak_gross // step))  # ceiling: the top gridline is at or above the peak
    axis_max = step * lines
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for hour in sorted(hours, key=lambda h: h.hour):
        height = (hour.gross * PLOT_HEIGHT + axis_max // 2) // axis_max if hour.gross > 0 else 0
        height = max(height, ZERO_STUB)
        x = AXIS_WIDTH + hour.hour * SLOT + (SLOT - BAR_WIDTH) // 2
        is_peak = top is not None and peak_gross > 0 and hour.hour == top.hour
        bars.append(Bar(hour=hour, x=x, y=baseline - height, height=height, peak=is_peak))
    ticks = [
        Tick(y=baseline - PLOT_HEIGHT * i // lines, label=f"¥{step * i // 100:,}") for i in range(lines + 1)
    ]
    return HourChart(bars=bars, ticks=ticks, peak=top if peak_gross > 0 else None)


@dataclass(frozen=True)
class TenderShare:
    tender: ReportTender
    percent: str  # of the day's gross, for the stacked bar's widths ("37.50")


def tender_shares(tenders: list[ReportTender]) -> list[TenderShare]:
    total = sum(t.gross for t in tenders)
    shares = []
    for tender in tenders:
        basis_points = tender.gross * 10_000 // total if total else 0
        shares.append(TenderShare(tender, f"{basis_points // 100}.{basis_points % 100:02d}"))
    return shares


def _report_page(
    request: Request, actor: Actor, report: DailyReportOut, merchant: MerchantOut, base: str
) -> HTMLResponse:
    today = clock.business_day()
    with request.app.state.db.unit_of_work() as session:
        sections = [section(request, session, actor, merchant.id, report.date) for section in _sections]
    day = report.date
    totals = report.totals
    return render(
        request,
        "settlement/report.html",
        merchant=merchant,
        report=report,
        base=base,
        in_bank=base.startswith("/bank/"),
        today=today,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1) if day < today else None,
        weekday=day.isoweekday(),
        empty=totals.payments == 0 and totals.refunds == 0,
        chart=hour_chart(report.by_hour),
        tenders=tender_shares(report.by_tender),
        items=report.by_item[:TOP_ITEMS],
        more_items=max(0, len(report.by_item) - TOP_ITEMS),
        sections=sections,
    )


def csv_download(report: DailyReportOut, language: str) -> Response:
    """The API's CSV of the report (``format=csv``) as a person's file: headers in the page's language,
    money in yuan, a BOM (``kit.csvfile``)."""
    text = csvfile.for_people(
        service.report_csv(report),
        language=language,
        words="csv.daily.",
        money=("gross", "refunds", "fees", "net"),
        worded={"section": ("csv.daily.section.",), "name": ("csv.daily.name.", "ui.pos.tender.")},
    )
    return csvfile.csv_download(text, f"{report.merchant_id}-{report.date.isoformat()}.csv")


# The merchant's own pages --------------------------------------------------------------------------


def _merchant_report(request: Request, actor: Actor, day: date | None) -> tuple[DailyReportOut, MerchantOut]:
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        return service.daily_report(session, actor, console.merchant.id, day), console.merchant


@router.get(REPORTS, response_class=HTMLResponse)
def merchant_report(request: Request, actor: BookReader, day: Day = None) -> HTMLResponse:
    report, merchant = _merchant_report(request, actor, day)
    return _report_page(request, actor, report, merchant, REPORTS)


@router.get(REPORTS + "/export")
def merchant_report_csv(request: Request, actor: BookReader, day: Day = None) -> Response:
    report, _ = _merchant_report(request, actor, day)
    return csv_download(report, language_of(request))


@router.get(SETTLEMENTS, response_class=HTMLResponse)
def settlements(
    request: Request,
    actor: BookReader,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    params = PageParams(limit=PER_PAGE, starting_after=starting_after)
    with request.app.state.db.unit_of_work() as session:
        console = console_of(session, actor)
        statements = service.merchant_settlements(session, actor, console.merchant.id, params)
    return render(
        request,
        "settlement/settlements.html",
        merchant=console.merchant,
        statements=statements.data,
        has_more=statements.has_more,
        first_page=starting_after is None,
        local=local_time,
    )


# Bank staff reading a merchant's day ---------------------------------------------------------------


def _bank_report(
    request: Request, actor: Actor, merchant_id: str, day: date | None
) -> tuple[DailyReportOut, MerchantOut]:
    with request.app.state.db.unit_of_work() as session:
        report = service.daily_report(session, actor, merchant_id, day)
        return report, merchants.get_merchant(session, actor, merchant_id)


@router.get("/bank/merchants/{merchant_id}/reports", response_class=HTMLResponse)
def bank_report(request: Request, merchant_id: str, actor: BankStaff, day: Day = None) -> HTMLResponse:
    report, merchant = _bank_report(request, actor, merchant_id, day)
    return _report_page(request, actor, report, merchant, f"/bank/merchants/{merchant.id}/reports")


@router.get("/bank/merchants/{merchant_id}/reports/export")
def bank_report_csv(request: Request, merchant_id: str, actor: BankStaff, day: Day = None) -> Response:
    report, _ = _bank_report(request, actor, merchant_id, day)
    return csv_download(report, language_of(request))
