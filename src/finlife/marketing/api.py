"""REST routes of marketing: business districts, campaigns (and their approval, figures and funnel),
and the Life channel's live coupons, claims and the customer's wallet."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import DbSession, body_errors, direct_route, in_group_commit, read_json_body
from finlife.kit.geo import point_from_query
from finlife.kit.idempotency import (
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    once,
    required_key,
    respond,
)
from finlife.kit.permissions import Capability, access_to
from finlife.marketing import service
from finlife.marketing.schemas import (
    CampaignChangesIn,
    CampaignIn,
    CampaignOut,
    CampaignStatsOut,
    CampaignStatus,
    ClaimIn,
    CouponOut,
    CouponStatus,
    DistrictIn,
    DistrictOut,
    FunnelOut,
    LiveCouponOut,
    RejectIn,
)
from finlife.marketing.service.claim_batch import ClaimHint, prepare_claims
from finlife.settings import Settings

router = APIRouter(tags=["marketing"])

BankMarketer = Annotated[Actor, Depends(access_to(Capability.DISTRICTS))]
CampaignRunner = Annotated[Actor, Depends(access_to(Capability.CAMPAIGNS))]
Approver = Annotated[Actor, Depends(access_to(Capability.CAMPAIGN_APPROVAL))]
Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]
Anyone = Annotated[Actor, Depends(Access.public_route())]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Degrees = Annotated[Decimal | None, Query(allow_inf_nan=False, description="Degrees, e.g. 31.232")]


@router.post("/v1/districts", response_model=DistrictOut, status_code=201, summary="Draw a business district")
def create_district(
    body: DistrictIn,
    request: Request,
    session: DbSession,
    actor: BankMarketer,
    key: OptionalIdempotencyKey,
) -> DistrictOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_district(session, actor, body),
    )


@router.get("/v1/districts", response_model=list[DistrictOut], summary="Every business district")
def list_districts(session: DbSession, _actor: Anyone) -> list[DistrictOut]:
    return service.list_districts(session)


@router.get(
    "/v1/districts/{district_id}",
    response_model=DistrictOut,
    summary="A business district: its stores and the live coupons that apply there",
)
def get_district(district_id: str, session: DbSession, _actor: Anyone) -> DistrictOut:
    return service.district_page(session, district_id)


@router.post("/v1/campaigns", response_model=CampaignOut, status_code=201, summary="Draw up a campaign")
def create_campaign(
    body: CampaignIn,
    request: Request,
    session: DbSession,
    actor: CampaignRunner,
    key: OptionalIdempotencyKey,
) -> CampaignOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_campaign(session, actor, body),
    )


@router.get(
    "/v1/campaigns", response_model=list[CampaignOut], summary="Campaigns the caller runs or oversees"
)
def list_campaigns(
    session: DbSession,
    actor: CampaignRunner,
    status: CampaignStatus | None = None,
    merchant_id: Annotated[str | None, Query(max_length=32)] = None,
) -> list[CampaignOut]:
    return service.list_campaigns(session, actor, status=status, merchant_id=merchant_id)


@router.get("/v1/campaigns/{campaign_id}", response_model=CampaignOut, summary="One campaign")
def get_campaign(campaign_id: str, session: DbSession, actor: CampaignRunner) -> CampaignOut:
    return service.get_campaign(session, actor, campaign_id)


@router.patch(
    "/v1/campaigns/{campaign_id}",
    response_model=CampaignOut,
    summary="Change a draft (or one sent back); nothing changes once it is submitted",
)
def edit_campaign(
    campaign_id: str, body: CampaignChangesIn, session: DbSession, actor: CampaignRunner
) -> CampaignOut:
    return service.edit_campaign(session, actor, campaign_id, body)


@router.post("/v1/campaigns/{campaign_id}/submit", response_model=CampaignOut, summary="Submit a draft")
def submit_campaign(campaign_id: str, session: DbSession, actor: CampaignRunner) -> CampaignOut:
    return service.submit_campaign(session, actor, campaign_id)


@router.post(
    "/v1/campaigns/{campaign_id}/approve",
    response_model=CampaignOut,
    summary="Approve (bank staff, not the author)",
)
def approve_campaign(campaign_id: str, session: DbSession, actor: Approver) -> CampaignOut:
    return service.approve_campaign(session, actor, campaign_id)


@router.post("/v1/campaigns/{campaign_id}/reject", response_model=CampaignOut, summary="Send back to draft")
def reject_campaign(campaign_id: str, body: RejectIn, session: DbSession, actor: Approver) -> CampaignOut:
    return service.reject_campaign(session, actor, campaign_id, body.reason)


@router.post(
    "/v1/campaigns/{campaign_id}/pause", response_model=CampaignOut, summary="Stop claims for a while"
)
def pause_campaign(campaign_id: str, session: DbSession, actor: CampaignRunner) -> CampaignOut:
    return service.pause_campaign(session, actor, campaign_id)


@router.post("/v1/campaigns/{campaign_id}/resume", response_model=CampaignOut, summary="Take claims again")
def resume_campaign(campaign_id: str, session: DbSession, actor: CampaignRunner) -> CampaignOut:
    return service.resume_campaign(session, actor, campaign_id)


@router.post("/v1/campaigns/{campaign_id}/end", response_model=CampaignOut, summary="End for good")
def end_campaign(campaign_id: str, session: DbSession, actor: CampaignRunner) -> CampaignOut:
    return service.end_campaign(session, actor, campaign_id)


@router.get(
    "/v1/campaigns/{campaign_id}/stats",
    response_model=CampaignStatsOut,
    summary="Issued, claimed, redeemed, expired; subsidy per funder; orders and revenue",
)
def campaign_stats(campaign_id: str, session: DbSession, actor: CampaignRunner) -> CampaignStatsOut:
    return service.campaign_stats(session, actor, campaign_id)


@router.get(
    "/v1/campaigns/{campaign_id}/funnel",
    response_model=FunnelOut,
    summary="Search → view → claim → pay → review → share: customers and conversion per step",
)
def campaign_funnel(campaign_id: str, session: DbSession, actor: CampaignRunner) -> FunnelOut:
    service.get_campaign(session, actor, campaign_id)  # 404 unless the caller may see it
    return service.funnel(session, campaign_id)


@router.get("/v1/life/coupons", response_model=list[LiveCouponOut], summary="Live coupons near you")
def live_coupons(
    session: DbSession,
    actor: Anyone,
    lat: Degrees = None,
    lng: Degrees = None,
    radius_m: Annotated[int, Query(ge=1, le=50_000)] = 5_000,
    district: Annotated[str | None, Query(max_length=32)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
) -> list[LiveCouponOut]:
    near = point_from_query(lat, lng)
    return service.live_coupons(
        session,
        near=near,
        radius_m=radius_m,
        district_id=district,
        category=category,
        customer_id=actor.customer_id,
    )


async def claim(
    campaign_id: str,
    request: Request,
    actor: Customer,
    key: IdempotencyKey,
    body: ClaimIn | None = None,
) -> JSONResponse:
    # A flash sale's hot path (bench/flash_claim.py): on PostgreSQL the claims of a moment commit in
    # one batch that locks the campaign's row once (``claim_batch``); on SQLite each runs alone.
    settings: Settings = request.app.state.settings
    wanted = body or ClaimIn()
    scope = actor.user_id or "anonymous"
    request_fingerprint = fingerprint("POST", request.url.path, wanted)

    def work(session: Session) -> JSONResponse:
        outcome = once(
            session,
            scope=scope,
            key=key,
            request_fingerprint=request_fingerprint,
            status_code=201,
            work=lambda: service.claim(session, settings, actor, campaign_id, wanted),
        )
        return respond(outcome, key)

    return await in_group_commit(
        request,
        "claims",
        work,
        hint=ClaimHint(campaign_id, actor.customer_id, (scope, key), wanted.account_id),
        prepare=lambda: partial(prepare_claims, settings=settings),
    )


_customer = Access(Role.CUSTOMER)  # the same audience as ``Customer`` in the declaration


async def _claim_directly(request: Request) -> Response:
    """``claim`` without FastAPI's dependency solving (``kit.deps.direct_route``, as the transfer
    route): the body, the customer, the Idempotency-Key and the campaign, checked in the order and
    with the answers FastAPI gives (tests/marketing/test_claim_route.py sends both the same requests).
    The body is optional: none, or ``null``, is ``ClaimIn()``, as the declaration's default ``None``."""
    data = await read_json_body(request)
    actor = await _customer(request)
    key, errors = required_key(request.headers)
    body, body_problems = (None, []) if data is None else body_errors(ClaimIn, data, sent=True)
    if errors or body_problems:
        raise RequestValidationError(errors + body_problems)
    return await claim(request.path_params["campaign_id"], request, actor, key, body)


router.add_api_route(
    "/v1/life/campaigns/{campaign_id}/claim",
    claim,
    methods=["POST"],
    response_model=CouponOut,
    status_code=201,
    summary="Claim (or buy) a coupon; Idempotency-Key required",
    route_class_override=direct_route(_claim_directly),
)


@router.get("/v1/me/coupons", response_model=list[CouponOut], summary="Your coupons")
def my_coupons(session: DbSession, actor: Customer, status: CouponStatus | None = None) -> list[CouponOut]:
    return service.wallet(session, actor, status=status)
