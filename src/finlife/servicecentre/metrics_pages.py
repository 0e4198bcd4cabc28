"""First-contact resolution on the console: the period's figures, a column per day and a bar per
reason, agent and channel (``charts``), and the same in tables for those who read numbers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import translate
from finlife.kit.permissions import Capability
from finlife.servicecentre import service
from finlife.servicecentre.charts import day_chart, rate_chart
from finlife.servicecentre.schemas import CaseReason
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Analyst = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.SERVICE_METRICS))]
DEFAULT_DAYS = 30


def _day(text: str, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        return fallback


@router.get("/bank/service/metrics", response_class=HTMLResponse)
def metrics_page(
    request: Request,
    actor: Analyst,
    start: Annotated[str, Query(alias="from", max_length=10)] = "",
    end: Annotated[str, Query(alias="to", max_length=10)] = "",
) -> HTMLResponse:
    today = clock.business_day()
    first = _day(start, today - timedelta(days=DEFAULT_DAYS - 1))
    last = _day(end, today)
    language = language_of(request)
    error = None
    with request.app.state.db.unit_of_work() as session:
        try:
            figures = service.service_metrics(session, actor, start=first, end=last)
        except FinlifeError as refused:
            error = refused.message(language)
            first, last = today - timedelta(days=DEFAULT_DAYS - 1), today
            figures = service.service_metrics(session, actor, start=first, end=last)
    reasons = {r.value: translate(f"service.reason.{r.value}", language) for r in CaseReason}
    channels = {f.key: translate(f"ui.channel.{f.key}", language) for f in figures.by_channel}
    return render(
        request,
        "servicecentre/metrics.html",
        status_code=422 if error else 200,
        error=error,
        figures=figures,
        first=first,
        last=last,
        days=day_chart(figures.by_day),
        charts=[
            ("service.by_reason", rate_chart(figures.by_reason, reasons)),
            ("service.by_agent", rate_chart(figures.by_agent, {})),
            ("service.by_channel", rate_chart(figures.by_channel, channels)),
        ],
    )
