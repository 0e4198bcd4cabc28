"""The bank console's view of the audit trail: the audit log (/bank/audit, filtered by subject, actor and
action, paged newest first) and channel activity (/bank/activity, the trail counted by channel and day
as a bar chart and a table).

They call ``audit.list_events`` and ``audit.channel_activity``, the functions behind
``GET /v1/audit-events`` and ``GET /v1/channel-activity``; like those, they are the bank admin's.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from finlife.audit import service
from finlife.audit.charts import activity_chart
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.pagination import PageParams
from finlife.web.pages import PageAccess
from finlife.web.render import render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

BankAdmin = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE, Role.BANK_ADMIN))]
Filter = Annotated[str, Query(max_length=64)]

AUDIT = "/bank/audit"
ACTIVITY = "/bank/activity"
PER_PAGE = 25
PERIODS = (7, 14, 30, 90)
DEFAULT_PERIOD = 14
DETAILS_SHOWN = 160  # characters of an event's details in its table cell; the API has them all


def details_text(details: dict[str, Any]) -> str:
    """An event's details on one line, as "key: value" pairs, cut to fit a table cell."""
    text = ", ".join(
        f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for key, value in details.items()
    )
    return text if len(text) <= DETAILS_SHOWN else text[: DETAILS_SHOWN - 1] + "…"


def to_the_second(moment: datetime) -> str:
    """Beijing time to the second: an audit trail orders events closer together than minutes."""
    return moment.astimezone(clock.business_zone).strftime("%Y-%m-%d %H:%M:%S")


@router.get(AUDIT, response_class=HTMLResponse)
def audit_log(
    request: Request,
    actor: BankAdmin,
    subject: Filter = "",
    who: Filter = "",
    action: Filter = "",
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    filters = {"subject": subject.strip(), "who": who.strip(), "action": action.strip()}
    params = PageParams(limit=PER_PAGE, starting_after=starting_after or None)
    with request.app.state.db.unit_of_work() as session:
        events = service.list_events(
            session,
            params,
            subject_id=filters["subject"] or None,
            actor=filters["who"] or None,
            action=filters["action"] or None,
        )
        actions = service.list_actions(session)
    return render(
        request,
        "audit/audit_log.html",
        events=events.data,
        has_more=events.has_more,
        first_page=starting_after is None,
        filters=filters,
        filtered=any(filters.values()),
        actions=actions,
        query={name: value for name, value in filters.items() if value},
        at=to_the_second,
        details=details_text,
    )


@router.get(ACTIVITY, response_class=HTMLResponse)
def channel_activity(
    request: Request, actor: BankAdmin, days: Annotated[str, Query(max_length=4)] = ""
) -> HTMLResponse:
    period = int(days) if days.isdigit() and int(days) in PERIODS else DEFAULT_PERIOD
    with request.app.state.db.unit_of_work() as session:
        activity = service.channel_activity(session, days=period)
    return render(
        request,
        "audit/activity.html",
        activity=activity,
        chart=activity_chart(activity),
        period=period,
        periods=PERIODS,
    )
