"""REST routes of insights: the 360 view and timeline, segments, and the personalised-marketing choice."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from finlife.insights import service
from finlife.insights.schemas import (
    MarketingPreferenceIn,
    MarketingPreferenceOut,
    SegmentIn,
    SegmentMemberOut,
    SegmentOut,
    TimelineKind,
    TimelineOut,
    ViewOut,
)
from finlife.kit.auth import Access, Actor, Channel, Role
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to

router = APIRouter(tags=["insights"])

# The customer (their own view; the service scopes) and serving staff; never merchants or partners.
Viewer = Annotated[Actor, Depends(access_to(Capability.CUSTOMER_VIEW, Role.CUSTOMER))]
Marketer = Annotated[Actor, Depends(access_to(Capability.SEGMENTS))]
Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]
Paging = Annotated[PageParams, Depends(page_params)]
Reason = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Why a member of staff opens the view (required for staff; kept in the audit log)",
    ),
]


@router.get(
    "/v1/customers/{customer_id}/view",
    response_model=ViewOut,
    summary="The customer 360 view: identity, accounts, cards, coupons, preferences, segments",
)
def customer_view(
    customer_id: str, session: DbSession, settings: AppSettings, actor: Viewer, reason: Reason = None
) -> ViewOut:
    return service.customer_view(session, settings, actor, customer_id, reason=reason)


@router.get(
    "/v1/customers/{customer_id}/timeline",
    response_model=TimelineOut,
    summary="Every interaction and money movement of every channel, newest first",
)
def customer_timeline(
    customer_id: str,
    session: DbSession,
    actor: Viewer,
    reason: Reason = None,
    channel: Channel | None = None,
    kind: TimelineKind | None = None,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> TimelineOut:
    return service.customer_timeline(
        session, actor, customer_id, reason=reason, cursor=cursor, limit=limit, channel=channel, kind=kind
    )


@router.post("/v1/segments", response_model=SegmentOut, status_code=201, summary="Define a customer segment")
def create_segment(
    body: SegmentIn, request: Request, session: DbSession, actor: Marketer, key: OptionalIdempotencyKey
) -> SegmentOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_segment(session, actor, body),
    )


@router.get("/v1/segments", response_model=list[SegmentOut], summary="Every segment, newest first")
def list_segments(session: DbSession, actor: Marketer) -> list[SegmentOut]:
    return service.list_segments(session, actor)


@router.get("/v1/segments/{segment_id}", response_model=SegmentOut, summary="A segment and its member count")
def get_segment(segment_id: str, session: DbSession, actor: Marketer) -> SegmentOut:
    return service.get_segment(session, actor, segment_id)


@router.post(
    "/v1/segments/{segment_id}/refresh",
    response_model=SegmentOut,
    summary="Evaluate the segment's rule again over every customer's facts",
)
def refresh_segment(segment_id: str, session: DbSession, actor: Marketer) -> SegmentOut:
    return service.refresh_segment(session, actor, segment_id)


@router.get(
    "/v1/segments/{segment_id}/members",
    response_model=Page[SegmentMemberOut],
    summary="The segment's members (customer id and name), by customer id",
)
def segment_members(
    segment_id: str, session: DbSession, actor: Marketer, params: Paging
) -> Page[SegmentMemberOut]:
    return service.segment_members(session, actor, segment_id, params)


@router.get(
    "/v1/me/preferences", response_model=MarketingPreferenceOut, summary="Your personalised-marketing choice"
)
def my_preferences(session: DbSession, actor: Customer) -> MarketingPreferenceOut:
    return service.my_preference(session, actor)


@router.patch(
    "/v1/me/preferences",
    response_model=MarketingPreferenceOut,
    summary="Switch personalised marketing on or off (PIPL Art. 24)",
)
def set_preferences(
    body: MarketingPreferenceIn, session: DbSession, actor: Customer
) -> MarketingPreferenceOut:
    return service.set_preference(session, actor, body.personalised_marketing)
