"""REST routes of refund requests: a cashier asks for a refund above the approval threshold, the
merchant's owner lists, approves (the refund is made then) or rejects them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.pagination import Page
from finlife.kit.permissions import Capability, access_to
from finlife.payments.approvals import service
from finlife.payments.approvals.schemas import RefundRequestIn, RefundRequestOut, RejectIn, RequestStatus

router = APIRouter(tags=["payments"])

Seller = Annotated[Actor, Depends(Access(Role.CASHIER, Role.MERCHANT_OWNER))]
Owner = Annotated[Actor, Depends(access_to(Capability.REFUND_APPROVAL))]


@router.post(
    "/v1/orders/{order_id}/refund-requests",
    response_model=RefundRequestOut,
    status_code=201,
    summary="Ask the merchant's owner to approve a refund (nothing is refunded until they do)",
)
def ask_refund(
    order_id: str,
    body: RefundRequestIn,
    request: Request,
    session: DbSession,
    actor: Seller,
    key: OptionalIdempotencyKey,
) -> RefundRequestOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.ask(session, actor, order_id, body),
    )


@router.get(
    "/v1/merchants/{merchant_id}/refund-requests",
    response_model=Page[RefundRequestOut],
    summary="The merchant's refund requests, newest first (the owner's)",
)
def list_requests(
    merchant_id: str,
    session: DbSession,
    actor: Owner,
    status: Annotated[RequestStatus | None, Query()] = None,
) -> Page[RefundRequestOut]:
    rows = service.awaiting(session, actor, merchant_id, status=status)
    return Page[RefundRequestOut](data=rows, has_more=False)


@router.post(
    "/v1/refund-requests/{request_id}/approve",
    response_model=RefundRequestOut,
    summary="Approve a cashier's refund request: the refund is made now (once, however often asked)",
)
def approve(request_id: str, session: DbSession, settings: AppSettings, actor: Owner) -> RefundRequestOut:
    return service.approve(session, settings, actor, request_id)


@router.post(
    "/v1/refund-requests/{request_id}/reject",
    response_model=RefundRequestOut,
    summary="Reject a cashier's refund request, with a reason",
)
def reject(request_id: str, body: RejectIn, session: DbSession, actor: Owner) -> RefundRequestOut:
    return service.reject(session, actor, request_id, body)
