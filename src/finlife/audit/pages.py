"""The bank console's view of the audit trail: the audit log (/bank/audit, filtered by subject, actor and
action, paged newest first) and channel activity (/bank/activity, the trail counted by channel and day
as a bar chart and a table).

They call ``audit.list_events`` and ``audit.channel_activity``, the functions behind
``GET /v1/audit-events`` and ``GET /v1/channel-activity``; like those, the audit log is the bank
admin's and channel activity (counts only) is also marketing's (``kit.permissions``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from finlife.audit import service
from finlife.audit.charts import activity_chart
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.i18n import CATALOGUE, format_money, translate
from finlife.kit.pagination import PageParams
from finlife.kit.permissions import Capability
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

AuditReader = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.AUDIT_LOG))]
ActivityReader = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CHANNEL_ACTIVITY))]
Filter = Annotated[str, Query(max_length=64)]

AUDIT = "/bank/audit"
ACTIVITY = "/bank/activity"
PER_PAGE = 25
PERIODS = (7, 14, 30, 90)
DEFAULT_PERIOD = 14


ID_VALUE = re.compile(r"[a-z]{1,5}_[0-9a-hjkmnp-tv-z]{8,}")
MONEY_KEYS = ("amount", "fee", "total", "refunded", "balance")
DETAILS_SHOWN = 6  # parts of an event's details in its table cell; the API has them all


@dataclass(frozen=True)
class DetailPart:
    label: str
    value: str
    staff_id: bool  # an internal id or raw data: shown small and copyable, for the auditor to search by


def _words(value: str, language: str) -> str:
    for prefix in ("ui.status.", "ui.channel.", "ui.kind.", "ui.event."):
        if f"{prefix}{value}" in CATALOGUE:
            return translate(f"{prefix}{value}", language)
    return value.replace("_", " ")


def _label(key: str, language: str) -> str:
    if f"ui.audit.detail.{key}" in CATALOGUE:
        return translate(f"ui.audit.detail.{key}", language)
    if key.endswith("_id") and f"thing.{key[:-3]}" in CATALOGUE:
        return translate(f"thing.{key[:-3]}", language)
    return key.replace("_", " ")


def detail_parts(details: dict[str, Any], language: str) -> list[DetailPart]:
    """An event's details for people: its keys in words, money as money, codes in words, ids apart."""
    currency = details.get("currency") if isinstance(details.get("currency"), str) else "CNY"
    parts = []
    for key, value in details.items():
        if key in ("currency", "unit"):
            continue
        label = _label(key, language)
        if isinstance(value, int) and not isinstance(value, bool) and key.endswith(MONEY_KEYS):
            parts.append(DetailPart(label, format_money(value, str(currency), language), False))
        elif isinstance(value, str) and ID_VALUE.fullmatch(value):
            parts.append(DetailPart(label, value, True))
        elif isinstance(value, str):
            parts.append(DetailPart(label, _words(value, language), False))
        elif isinstance(value, list):
            shown = ", ".join(_words(v, language) if isinstance(v, str) else str(v) for v in value)
            parts.append(DetailPart(label, shown, False))
        else:  # a structure (a segment's rule): the exact data, apart and copyable, as an id is
            parts.append(DetailPart(label, json.dumps(value, ensure_ascii=False), True))
    return parts[:DETAILS_SHOWN]


def to_the_second(moment: datetime) -> str:
    """Beijing time to the second: an audit trail orders events closer together than minutes."""
    return moment.astimezone(clock.business_zone).strftime("%Y-%m-%d %H:%M:%S")


@router.get(AUDIT, response_class=HTMLResponse)
def audit_log(
    request: Request,
    actor: AuditReader,
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
        details=lambda found: detail_parts(found, language_of(request)),
    )


@router.get(ACTIVITY, response_class=HTMLResponse)
def channel_activity(
    request: Request, actor: ActivityReader, days: Annotated[str, Query(max_length=4)] = ""
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
