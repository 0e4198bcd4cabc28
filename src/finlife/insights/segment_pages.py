"""Segments for marketing staff in ``/bank``: the form that builds a rule without JSON
(``/bank/segments/new``), a segment's page with its rule in words, member count, channel mix and its
members a page at a time (``/bank/segments/{id}``), the channel mix of every segment for channel
planning (a section of ``/bank/channels``) and its CSV export."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.insights import segment_reports, service
from finlife.insights.errors import SegmentRuleInvalid
from finlife.insights.schemas import SegmentIn, SegmentOut
from finlife.insights.segment_form import (
    JOINS,
    OPERATORS,
    ROWS,
    SegmentForm,
    describe,
    fact_choices,
    form_values,
    read_form,
)
from finlife.insights.segment_reports import ChannelMix
from finlife.kit.auth import Actor, Channel
from finlife.kit.deps import DbSession
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import translate
from finlife.kit.permissions import Capability, may
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render, render_fragment
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Marketer = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.SEGMENTS))]
Row = Annotated[list[str] | None, Form()]
NEW = "/bank/segments/new"
MIX_CSV = "/bank/segments/channels.csv"
PER_PAGE = 25
CHANNELS = [c.value for c in Channel]


def _form_page(request: Request, form: SegmentForm | None, status_code: int = 200) -> HTMLResponse:
    language = language_of(request)
    return render(
        request,
        "insights/bank_segment_new.html",
        status_code=status_code,
        facts=fact_choices(language),
        operators=OPERATORS,
        joins=JOINS,
        rows=ROWS,
        form=form_values(form),
        errors=form.errors if form else {},
    )


@router.get(NEW, response_class=HTMLResponse)
def new_segment_page(request: Request, actor: Marketer) -> HTMLResponse:
    return _form_page(request, None)


@router.post(NEW, dependencies=[Depends(verify_csrf)])
def create_segment(
    request: Request,
    actor: Marketer,
    name: Annotated[str, Form(max_length=200)] = "",
    join: Annotated[str, Form(max_length=8)] = "all",
    fact: Row = None,  # the rows' repeated fields, in the order of the rows
    op: Row = None,
    value: Row = None,
) -> Response:
    language = language_of(request)
    form = read_form(name, join, fact or [], op or [], value or [], language)
    if form.rule is None:
        return _form_page(request, form, 422)
    body = SegmentIn(name=form.name, rule=form.rule)
    outcome = attempt(request, lambda session: service.create_segment(session, actor, body))
    if isinstance(outcome, SegmentRuleInvalid):
        where, _ = form.row_of(str(outcome.field))
        form.errors[where] = translate(f"ui.segment.rejected.{outcome.code}", language)
        return _form_page(request, form, 422)
    if isinstance(outcome, FinlifeError):
        form.errors["rule"] = outcome.message(language)
        return _form_page(request, form, outcome.status)
    assert isinstance(outcome, SegmentOut)
    return redirect(f"/bank/segments/{outcome.id}", flash="ui.segment.created")


@router.get(MIX_CSV)
def channel_mix_csv(request: Request, session: DbSession, actor: Marketer) -> Response:
    """Each segment's members, spending (yuan) and interactions per channel; a BOM so that Excel reads
    UTF-8, the headers in the page's language."""
    language = language_of(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [translate(f"ui.segment.csv.{column}", language) for column in ("segment", "members", "spend")]
        + [translate(f"ui.channel.{channel}", language) for channel in CHANNELS]
        + [
            translate("ui.segment.csv.prefer", language, {"channel": translate(f"ui.channel.{c}", language)})
            for c in CHANNELS
        ]
    )
    for mix in segment_reports.channel_mix(session, actor):
        writer.writerow(
            [mix.name, mix.members, _yuan(mix.spend_90d)]
            + [mix.interactions.get(channel, 0) for channel in CHANNELS]
            + [mix.preferred.get(channel, 0) for channel in CHANNELS]
        )
    return Response(
        "\ufeff" + buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="segment-channels.csv"'},
    )


def _yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


@router.get("/bank/segments/{segment_id}", response_class=HTMLResponse)
def segment_page(
    request: Request,
    segment_id: str,
    session: DbSession,
    actor: Marketer,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    segment = service.get_segment(session, actor, segment_id)
    (mix,) = segment_reports.channel_mix(session, actor, segment_id)
    members = segment_reports.member_page(session, actor, segment_id, page, PER_PAGE)
    return render(
        request,
        "insights/bank_segment.html",
        segment=segment,
        rule_words=describe(segment.rule, language_of(request)),
        mix=mix,
        members=members,
        local=local_time,
    )


def channel_mix_section(request: Request, session: Session, actor: Actor) -> Markup:
    """The channel mix of every segment, for the channel-planning page (empty for a reader who may not
    see segments)."""
    if not may(actor, Capability.SEGMENTS):
        return Markup("")
    mixes: list[ChannelMix] = segment_reports.channel_mix(session, actor)
    return render_fragment(request, "insights/segment_channel_mix.html", mixes=mixes, csv_link=MIX_CSV)


@router.post("/bank/segments/{segment_id}/refresh-here", dependencies=[Depends(verify_csrf)])
def refresh_from_its_page(segment_id: str, session: DbSession, actor: Marketer) -> Response:
    service.refresh_segment(session, actor, segment_id)
    return redirect(f"/bank/segments/{segment_id}", flash="ui.insights.refreshed")
