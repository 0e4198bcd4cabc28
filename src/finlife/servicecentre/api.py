"""REST routes of the service centre: parse, authorise, call the service, shape the answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse, Response

from finlife.accounts.schemas import CardOut
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.i18n import negotiate
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.permissions import Capability, access_to
from finlife.servicecentre import planning, service
from finlife.servicecentre.planning_schemas import PlanningOut
from finlife.servicecentre.schemas import (
    CaseIn,
    CaseOut,
    CloseIn,
    CodeResentOut,
    ContactIn,
    CouponRestoreIn,
    CustomerMatch,
    LimitReviewIn,
    LimitReviewOut,
    MetricsOut,
    RefusalOut,
    RestorationOut,
)

router = APIRouter(tags=["service centre"])

Agent = Annotated[Actor, Depends(access_to(Capability.SERVICE_CASES))]
CardKeeper = Annotated[Actor, Depends(access_to(Capability.CARD_FREEZE))]
Checker = Annotated[Actor, Depends(access_to(Capability.SERVICE_APPROVAL))]
Analyst = Annotated[Actor, Depends(access_to(Capability.SERVICE_METRICS))]


@router.get(
    "/v1/service/customers",
    response_model=list[CustomerMatch],
    summary="Find a caller by phone, ID number, card's last four (and name) or account number",
)
def find_customers(
    session: DbSession,
    actor: Agent,
    phone: Annotated[str | None, Query(max_length=16)] = None,
    id_number: Annotated[str | None, Query(max_length=18)] = None,
    card_last4: Annotated[str | None, Query(pattern=r"^[0-9]{4}$")] = None,
    account_number: Annotated[str | None, Query(max_length=34)] = None,
    name: Annotated[str | None, Query(max_length=64)] = None,
) -> list[CustomerMatch]:
    return service.find_customers(
        session,
        actor,
        phone=phone,
        id_number=id_number,
        card_last4=card_last4,
        account_number=account_number,
        name=name,
    )


@router.post("/v1/cases", response_model=CaseOut, status_code=201, summary="Open a case for a customer")
def open_case(
    body: CaseIn, request: Request, session: DbSession, actor: Agent, key: OptionalIdempotencyKey
) -> CaseOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.open_case(session, actor, body),
    )


@router.get(
    "/v1/cases", response_model=list[CaseOut], summary="The newest cases (of a customer, in a status)"
)
def list_cases(
    session: DbSession,
    actor: Agent,
    customer_id: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
) -> list[CaseOut]:
    return service.list_cases(session, actor, customer_id=customer_id, status=status)


@router.get("/v1/cases/{case_id}", response_model=CaseOut, summary="A case and what was done in it")
def get_case(case_id: str, session: DbSession, actor: Agent) -> CaseOut:
    return service.get_case(session, actor, case_id)


@router.post(
    "/v1/cases/{case_id}/contacts", response_model=CaseOut, summary="The customer came back about the case"
)
def add_contact(case_id: str, body: ContactIn, session: DbSession, actor: Agent) -> CaseOut:
    return service.add_contact(session, actor, case_id, body.note)


@router.post(
    "/v1/cases/{case_id}/close", response_model=CaseOut, summary="Close a case resolved or escalated"
)
def close_case(case_id: str, body: CloseIn, session: DbSession, actor: Agent) -> CaseOut:
    return service.close_case(session, actor, case_id, body)


@router.post(
    "/v1/cases/{case_id}/cards/{card_id}/freeze", response_model=CardOut, summary="Freeze the customer's card"
)
def freeze_card(case_id: str, card_id: str, session: DbSession, actor: CardKeeper) -> CardOut:
    return service.freeze_card(session, actor, case_id, card_id)


@router.post(
    "/v1/cases/{case_id}/cards/{card_id}/unfreeze", response_model=CardOut, summary="Unfreeze a frozen card"
)
def unfreeze_card(case_id: str, card_id: str, session: DbSession, actor: CardKeeper) -> CardOut:
    return service.unfreeze_card(session, actor, case_id, card_id)


@router.get(
    "/v1/cases/{case_id}/refused-payments",
    response_model=list[RefusalOut],
    summary="The customer's refused payments of the last 30 days, explained",
)
def refused_payments(
    case_id: str, request: Request, session: DbSession, settings: AppSettings, actor: Agent
) -> list[RefusalOut]:
    language = negotiate(request.headers.get("accept-language"))
    return service.explain_refusals(session, settings, actor, case_id, language)


@router.post(
    "/v1/cases/{case_id}/code-resends",
    response_model=CodeResentOut,
    summary="Send a new sign-in unlock code to the phone on record (when the login is frozen)",
)
def resend_code(case_id: str, session: DbSession, settings: AppSettings, actor: Agent) -> CodeResentOut:
    return service.resend_code(session, settings, actor, case_id)


@router.post(
    "/v1/cases/{case_id}/coupon-restorations",
    response_model=RestorationOut,
    status_code=201,
    summary="Ask to restore a coupon that expired by error (a second member of staff approves)",
)
def ask_restoration(case_id: str, body: CouponRestoreIn, session: DbSession, actor: Agent) -> RestorationOut:
    return service.ask_coupon_restoration(session, actor, case_id, body)


@router.get("/v1/coupon-restorations", response_model=list[RestorationOut], summary="Restorations to decide")
def list_restorations(
    session: DbSession,
    actor: Checker,
    status: Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")] = "pending",
) -> list[RestorationOut]:
    return service.list_restorations(session, actor, status=status)


@router.post(
    "/v1/coupon-restorations/{restoration_id}/approve",
    response_model=RestorationOut,
    summary="Approve a restoration another member of staff asked for",
)
def approve_restoration(restoration_id: str, session: DbSession, actor: Checker) -> RestorationOut:
    return service.decide_restoration(session, actor, restoration_id, approve=True)


@router.post(
    "/v1/coupon-restorations/{restoration_id}/reject",
    response_model=RestorationOut,
    summary="Reject a restoration another member of staff asked for",
)
def reject_restoration(restoration_id: str, session: DbSession, actor: Checker) -> RestorationOut:
    return service.decide_restoration(session, actor, restoration_id, approve=False)


@router.post(
    "/v1/cases/{case_id}/limit-reviews",
    response_model=LimitReviewOut,
    status_code=201,
    summary="Raise a limit review for the back office",
)
def raise_limit_review(
    case_id: str, body: LimitReviewIn, session: DbSession, settings: AppSettings, actor: Agent
) -> LimitReviewOut:
    return service.raise_limit_review(session, settings, actor, case_id, body)


@router.get(
    "/v1/limit-reviews", response_model=list[LimitReviewOut], summary="Limit reviews for the back office"
)
def list_limit_reviews(session: DbSession, actor: Checker) -> list[LimitReviewOut]:
    return service.list_limit_reviews(session, actor)


@router.get(
    "/v1/service/metrics",
    response_model=MetricsOut,
    response_model_by_alias=True,
    summary="Cases and first-contact resolution per reason, day, agent and channel",
)
def metrics(
    session: DbSession,
    actor: Analyst,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> MetricsOut:
    return service.service_metrics(session, actor, start=start, end=end)


Planner = Annotated[Actor, Depends(access_to(Capability.CHANNEL_PLANNING))]


@router.get(
    "/v1/channel-planning",
    response_model=PlanningOut,
    response_model_by_alias=True,
    summary="Channel planning: activity per channel and hour, preferred-channel changes, service quality",
)
def channel_planning(
    session: DbSession,
    actor: Planner,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> PlanningOut:
    return planning.channel_planning(session, actor, start=start, end=end)


@router.get(
    "/v1/channel-planning.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Activity per channel and hour"}},
    summary="Channel planning's activity per channel and hour as CSV (BOM, headers in the asked language)",
)
def channel_planning_csv(
    request: Request,
    session: DbSession,
    actor: Planner,
    start: Annotated[date, Query(alias="from")],
    end: Annotated[date, Query(alias="to")],
) -> Response:
    figures = planning.channel_planning(session, actor, start=start, end=end)
    language = negotiate(request.headers.get("accept-language"))
    return csv_response(planning.planning_csv(figures, language), f"channels-{start}-{end}.csv")


def csv_response(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
