"""Insights in the pages: the customer's own preferences with the personalised-marketing switch
(``/app/preferences``), the 360 view and timeline on the teller's customer page (accounts plugs the
section in), and the segments with their member counts for marketing (``/bank/segments``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.insights import service
from finlife.insights.schemas import TimelineKind
from finlife.insights.segment_form import describe
from finlife.kit.auth import Actor, Channel
from finlife.kit.deps import DbSession
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability, may
from finlife.web.csrf import verify_csrf
from finlife.web.forms import local_time
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render, render_fragment
from finlife.web.shells import BANK_CONSOLE, CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
Marketer = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.SEGMENTS))]
PREFERENCES = "/app/preferences"
TIMELINE_SHOWN = 20
# The teller opened the customer's page to serve them: the reason recorded with the read.
PAGE_REASON = "customer_page"


@router.get(PREFERENCES, response_class=HTMLResponse)
def my_preferences(request: Request, session: DbSession, actor: Customer) -> HTMLResponse:
    assert actor.customer_id is not None  # PageAccess(CUSTOMER_APP) admits customers only
    settings = request.app.state.settings
    view = service.customer_view(session, settings, actor, actor.customer_id)
    return render(request, "insights/app_preferences.html", view=view, local=local_time)


@router.post(PREFERENCES, dependencies=[Depends(verify_csrf)])
def set_preference(
    session: DbSession, actor: Customer, personalised: Annotated[str, Form()] = "off"
) -> Response:
    service.set_preference(session, actor, personalised == "on")
    return redirect(PREFERENCES, flash="ui.insights.saved")


def customer_section(request: Request, session: Session, actor: Actor, customer_id: str) -> Markup:
    """The 360 view's preferences, segments and the timeline (filtered and paged by the page's query)."""
    if not may(actor, Capability.CUSTOMER_VIEW):
        return Markup("")
    query = request.query_params
    channel = query.get("channel") or None
    kind = query.get("kind") or None
    settings = request.app.state.settings
    try:
        view = service.customer_view(session, settings, actor, customer_id, reason=PAGE_REASON)
        timeline = service.customer_timeline(
            session,
            actor,
            customer_id,
            reason=PAGE_REASON,
            cursor=query.get("cursor") or None,
            limit=TIMELINE_SHOWN,
            channel=Channel(channel) if channel in set(Channel) else None,
            kind=TimelineKind(kind) if kind in set(TimelineKind) else None,
        )
    except FinlifeError:  # a stale cursor in the address: show the first page instead
        timeline = service.customer_timeline(
            session, actor, customer_id, reason=PAGE_REASON, limit=TIMELINE_SHOWN
        )
    return render_fragment(
        request,
        "insights/bank_customer_view.html",
        view=view,
        timeline=timeline,
        customer_id=customer_id,
        channels=[c.value for c in Channel],
        kinds=[k.value for k in TimelineKind],
        channel=channel,
        kind=kind,
        local=local_time,
    )


@router.get("/bank/segments", response_class=HTMLResponse)
def segments_page(request: Request, session: DbSession, actor: Marketer) -> HTMLResponse:
    segments = service.list_segments(session, actor)
    language = language_of(request)
    rules = {segment.id: describe(segment.rule, language) for segment in segments}
    return render(request, "insights/bank_segments.html", segments=segments, rules=rules, local=local_time)


@router.post("/bank/segments/{segment_id}/refresh", dependencies=[Depends(verify_csrf)])
def refresh_segment(segment_id: str, session: DbSession, actor: Marketer) -> Response:
    service.refresh_segment(session, actor, segment_id)
    return redirect("/bank/segments", flash="ui.insights.refreshed")
