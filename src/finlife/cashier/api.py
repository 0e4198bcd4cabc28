"""REST routes of orders, shifts and receipts: parse, authorise, call the cashier service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from finlife.cashier import service
from finlife.cashier.schemas import (
    CashMovementIn,
    CashMovementOut,
    OrderDraftIn,
    OrderIn,
    OrderOut,
    OrderPreviewOut,
    OrderStatus,
    ShiftCloseIn,
    ShiftOpenIn,
    ShiftOut,
)
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.dates import IsoDate
from finlife.kit.deps import DbSession, body_errors, direct_route, in_unit_of_work, read_json_body
from finlife.kit.i18n import negotiate
from finlife.kit.idempotency import (
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    required_key,
    run_once,
)
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to

router = APIRouter(tags=["cashier"])

# The route admits the roles; the service then scopes every row to the actor's own stores.
Seller = Annotated[Actor, Depends(Access(Role.MERCHANT_OWNER, Role.CASHIER))]
Reader = Annotated[Actor, Depends(access_to(Capability.MERCHANT_BOOKS, Role.CASHIER))]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Paging = Annotated[PageParams, Depends(page_params)]


def _once(
    session: DbSession,
    actor: Actor,
    key: str,
    request: Request,
    body: BaseModel,
    work: Callable[[], BaseModel],
) -> JSONResponse:
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=work,
    )


async def open_order(body: OrderIn, request: Request, actor: Seller, key: IdempotencyKey) -> JSONResponse:
    # A checkout's hot path (bench/checkout.py): async, one hop to a thread where the unit of work
    # runs and commits (``kit.deps.in_unit_of_work``; ``run_once`` commits), no generator dependency.
    def work(session: Session) -> JSONResponse:
        return _once(session, actor, key, request, body, lambda: service.open_order(session, actor, body))

    return await in_unit_of_work(request, work)


_seller = Access(Role.MERCHANT_OWNER, Role.CASHIER)  # the same audience as ``Seller`` in the declaration


async def _open_order_directly(request: Request) -> Response:
    """``open_order`` without FastAPI's dependency solving (``kit.deps.direct_route``, as transfers):
    the body, the seller and the Idempotency-Key, checked in the order and with the answers FastAPI
    gives (tests/cashier/test_order_route.py sends both the same requests)."""
    data = await read_json_body(request)
    actor = await _seller(request)
    key, errors = required_key(request.headers)
    body, body_problems = body_errors(OrderIn, data, sent=bool(await request.body()))
    if errors or body is None:
        raise RequestValidationError(errors + body_problems)
    return await open_order(body, request, actor, key)


router.add_api_route(
    "/v1/orders",
    open_order,
    methods=["POST"],
    response_model=OrderOut,
    status_code=201,
    summary="Open an order at a store's terminal, priced from the catalog",
    route_class_override=direct_route(_open_order_directly),
)


@router.post(
    "/v1/orders/calculate",
    response_model=OrderPreviewOut,
    summary="Preview the totals of an order before opening it (nothing is stored)",
)
def calculate(body: OrderIn, session: DbSession, actor: Seller) -> OrderPreviewOut:
    return service.calculate(session, actor, body)


@router.post(
    "/v1/orders/{order_id}/calculate",
    response_model=OrderPreviewOut,
    summary="Preview the totals of other lines at an open order's store (the order is unchanged)",
)
def calculate_for_order(
    order_id: str, body: OrderDraftIn, session: DbSession, actor: Seller
) -> OrderPreviewOut:
    return service.calculate_for_order(session, actor, order_id, body)


@router.get("/v1/orders/{order_id}", response_model=OrderOut, summary="One order with its lines")
def get_order(order_id: str, session: DbSession, actor: Reader) -> OrderOut:
    return service.get_order(session, actor, order_id)


@router.post(
    "/v1/orders/{order_id}/cancel", response_model=OrderOut, summary="Cancel an open order with nothing paid"
)
def cancel_order(order_id: str, session: DbSession, actor: Seller) -> OrderOut:
    return service.cancel_order(session, actor, order_id)


@router.get(
    "/v1/stores/{store_id}/orders", response_model=Page[OrderOut], summary="A store's orders, newest first"
)
def list_orders(
    store_id: str,
    session: DbSession,
    actor: Reader,
    params: Paging,
    status: Annotated[OrderStatus | None, Query(description="Only orders in this state")] = None,
    day: Annotated[
        IsoDate | None, Query(alias="date", description="Only orders opened on this day (Asia/Shanghai)")
    ] = None,
) -> Page[OrderOut]:
    return service.list_orders(session, actor, store_id, params, status=status, day=day)


@router.get(
    "/v1/orders/{order_id}/receipt",
    response_class=HTMLResponse,
    responses={200: {"content": {"text/html": {}, "text/plain": {}}}},
    summary="The order's receipt: printable HTML, or plain text (format=text or Accept: text/plain)",
)
def get_receipt(
    order_id: str,
    session: DbSession,
    actor: Reader,
    fmt: Annotated[Literal["html", "text"] | None, Query(alias="format")] = None,
    accept: Annotated[str | None, Header()] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Response:
    wants_text = fmt == "text" or (fmt is None and _prefers_text(accept))
    data = service.receipt(session, actor, order_id)
    body = service.render_receipt(
        data, fmt="text" if wants_text else "html", language=negotiate(accept_language)
    )
    return PlainTextResponse(body) if wants_text else HTMLResponse(body)


def _prefers_text(accept: str | None) -> bool:
    """Plain text when the client asks for text/plain and not for HTML (browsers ask for HTML)."""
    kinds = {part.split(";")[0].strip().lower() for part in (accept or "").split(",")}
    return "text/plain" in kinds and "text/html" not in kinds


@router.post(
    "/v1/stores/{store_id}/shifts",
    response_model=ShiftOut,
    status_code=201,
    summary="Open a shift at a terminal",
)
def open_shift(
    store_id: str,
    body: ShiftOpenIn,
    request: Request,
    session: DbSession,
    actor: Seller,
    key: OptionalIdempotencyKey,
) -> ShiftOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.open_shift(session, actor, store_id, body),
    )


@router.get("/v1/shifts/{shift_id}", response_model=ShiftOut, summary="One shift with its drawer's totals")
def get_shift(shift_id: str, session: DbSession, actor: Reader) -> ShiftOut:
    return service.get_shift(session, actor, shift_id)


@router.post(
    "/v1/shifts/{shift_id}/close", response_model=ShiftOut, summary="Count the drawer and close the shift"
)
def close_shift(shift_id: str, body: ShiftCloseIn, session: DbSession, actor: Seller) -> ShiftOut:
    return service.close_shift(session, actor, shift_id, body)


@router.post(
    "/v1/shifts/{shift_id}/cash-movements",
    response_model=CashMovementOut,
    status_code=201,
    summary="Pay cash into or out of the drawer, with a reason",
)
def add_cash_movement(
    shift_id: str,
    body: CashMovementIn,
    request: Request,
    session: DbSession,
    actor: Seller,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session, actor, key, request, body, lambda: service.add_cash_movement(session, actor, shift_id, body)
    )
