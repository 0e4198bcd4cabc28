"""REST routes of payments: tenders on orders, merchant QR codes, payment codes and refunds.

Money-moving POSTs take an Idempotency-Key: a retry gets the first answer, never a second effect,
including a card decline (402), which is stored and committed with the wrong-PIN count it kept.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, TypeAdapter
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from finlife.kit.auth import Access, Actor, Role
from finlife.kit.db import Database
from finlife.kit.deps import (
    AppSettings,
    DbSession,
    adapted_body_errors,
    body_errors,
    direct_route,
    in_group_commit,
    in_unit_of_work,
    read_json_body,
)
from finlife.kit.errors import PROBLEM_BASE, PROBLEM_JSON
from finlife.kit.i18n import negotiate
from finlife.kit.idempotency import (
    HEADER,
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    keys_prefetch,
    once,
    required_key,
)
from finlife.kit.pagination import Page
from finlife.kit.pipeline import prefetch_together
from finlife.kit.qrimage import qr_png, qr_svg
from finlife.payments import service
from finlife.payments.errors import CardDeclined
from finlife.payments.schemas import (
    CardTenderIn,
    CashTenderIn,
    PaymentCodeAnswerOut,
    PaymentCodeIn,
    PaymentCodeOut,
    PaymentCodeTenderIn,
    PaymentOut,
    QrPayloadOut,
    QrPaymentIn,
    RefundIn,
    RefundOut,
    TenderOut,
)
from finlife.settings import Settings

router = APIRouter(tags=["payments"])
QR_PAYMENTS = "/v1/qr/payments"

Seller = Annotated[Actor, Depends(Access(Role.CASHIER, Role.MERCHANT_OWNER))]
Customer = Annotated[Actor, Depends(Access(Role.CUSTOMER))]
SignedIn = Annotated[Actor, Depends(Access.signed_in())]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Tender = Annotated[CashTenderIn | CardTenderIn | PaymentCodeTenderIn, Body(discriminator="method")]
SECRET_FIELDS = ("pan", "expiry", "pin", "code")


class DeclineProblem(BaseModel):
    """The problem+json answer of a declined card, stored for replays like any other answer."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str
    response_code: str
    reason: str
    payment_id: str


class _Declined(Exception):
    """Carries a decline out of ``once`` so that no 201 is stored for it; nothing is rolled back."""

    def __init__(self, decline: CardDeclined) -> None:
        super().__init__(decline.code)
        self.decline = decline


def _request_fingerprint(settings: Settings, request: Request, body: BaseModel) -> str:
    """The request's fingerprint, with card data and codes replaced by one keyed HMAC of them: the
    idempotency table must not hold a plain hash that a PIN or code could be guessed back from."""
    data: dict[str, Any] = body.model_dump(mode="json")
    secrets = "\x00".join(str(data.pop(name, "")) for name in SECRET_FIELDS)
    data["secrets"] = hmac.new(settings.secret_key.encode(), secrets.encode(), hashlib.sha256).hexdigest()
    return fingerprint("POST", request.url.path, data)


def _answer(outcome_status: int, body: dict[str, Any], key: str, replayed: bool) -> JSONResponse:
    headers = {HEADER: key, **({"Idempotent-Replayed": "true"} if replayed else {})}
    media_type = PROBLEM_JSON if outcome_status >= 400 else None
    return JSONResponse(body, status_code=outcome_status, headers=headers, media_type=media_type)


def _decline_problem(request: Request, decline: CardDeclined) -> DeclineProblem:
    language = negotiate(request.headers.get("accept-language"))
    return DeclineProblem(
        type=PROBLEM_BASE + decline.code,
        title=decline.message(language),  # its placeholders (response code, reason) filled
        status=decline.status,
        detail=decline.message(language),
        code=decline.code,
        instance=request.url.path,
        response_code=decline.response_code,
        reason=decline.reason,
        payment_id=decline.payment_id,
    )


def _run(
    session: DbSession,
    settings: Settings,
    actor: Actor,
    key: str,
    request: Request,
    body: BaseModel,
    work: Callable[[], BaseModel | CardDeclined],
) -> JSONResponse:
    """``work`` once per key: 201 with its answer, or 402 with a card decline, either one replayed."""
    scope = actor.user_id or "anonymous"
    request_fingerprint = _request_fingerprint(settings, request, body)

    def approved() -> BaseModel:
        result = work()
        if isinstance(result, CardDeclined):
            raise _Declined(result)
        return result

    try:
        outcome = once(
            session,
            scope=scope,
            key=key,
            request_fingerprint=request_fingerprint,
            status_code=201,
            work=approved,
        )
    except _Declined as declined:
        problem = _decline_problem(request, declined.decline)
        outcome = once(
            session,
            scope=scope,
            key=key,
            request_fingerprint=request_fingerprint,
            status_code=problem.status,
            work=lambda: problem,
        )
    return _answer(outcome.status_code, outcome.body, key, outcome.replayed)


async def take_payment(
    order_id: str,
    body: Tender,
    request: Request,
    settings: AppSettings,
    actor: Seller,
    key: IdempotencyKey,
) -> JSONResponse:
    """Another bank's card is asked before the payment's transaction (nothing locked while it
    answers), then booked in a short one, committed together with concurrent ones on PostgreSQL
    (``kit.group_commit``); an answer the payment did not book is given up (an approval reversed)."""
    database: Database = request.app.state.db
    asked: service.OffUsAsked | None = None
    if isinstance(body, CardTenderIn):
        scope = actor.user_id or "anonymous"
        asked = await run_in_threadpool(
            partial(service.ask_off_us_first, scope=scope, key=key), database, settings, actor, order_id, body
        )

    def work(session: Session) -> JSONResponse:
        tender = partial(service.take_payment, session, settings, actor, order_id, body, asked)
        return _run(session, settings, actor, key, request, body, tender)

    if asked is None:
        return await in_unit_of_work(request, work)
    try:
        answer = await in_group_commit(
            request,
            "off_us_card_payments",
            work,
            hint=(actor.user_id or "anonymous", key),
            prepare=lambda: _prepare_card_bookings,
        )
    except BaseException:
        await run_in_threadpool(service.give_up_off_us, database, asked)
        raise
    if not asked.used:  # a replay, or a refusal before the card: the issuer must not keep the money
        await run_in_threadpool(service.give_up_off_us, database, asked)
    return answer


def _prepare_card_bookings(session: Session, hints: Sequence[tuple[str, str]]) -> None:
    """Before a batch of off-us card bookings runs (PostgreSQL): the advisory locks and first
    answers of every request's Idempotency-Key in one round trip (``keys_prefetch``), as a batch of
    transfers takes them, so that ``once`` asks the database nothing for each booking. The keys
    are locked before any order or ledger row, as a booking alone locks its key first."""
    keys = keys_prefetch(session, list(hints))
    if keys is not None:
        prefetch_together(session, [keys])


_seller = Access(Role.CASHIER, Role.MERCHANT_OWNER)  # the same audience as ``Seller`` in the declaration
_TENDER: TypeAdapter[CashTenderIn | CardTenderIn | PaymentCodeTenderIn] = TypeAdapter(
    Annotated[CashTenderIn | CardTenderIn | PaymentCodeTenderIn, Field(discriminator="method")]
)


async def _take_payment_directly(request: Request) -> Response:
    """``take_payment`` without FastAPI's dependency solving (``kit.deps.direct_route``, as the QR
    payment route): the body, the seller and the Idempotency-Key, checked in the order and with the
    answers FastAPI gives (tests/payments/test_tender_route.py sends both the same requests)."""
    data = await read_json_body(request)
    actor = await _seller(request)
    key, errors = required_key(request.headers)
    body, body_problems = adapted_body_errors(_TENDER, data, sent=bool(await request.body()))
    if errors or body is None:
        raise RequestValidationError(errors + body_problems)
    settings: Settings = request.app.state.settings
    return await take_payment(request.path_params["order_id"], body, request, settings, actor, key)


router.add_api_route(
    "/v1/orders/{order_id}/payments",
    take_payment,
    methods=["POST"],
    response_model=TenderOut,
    status_code=201,
    responses={402: {"model": DeclineProblem, "description": "Card declined (ISO 8583 response code)"}},
    summary="Take a tender (cash, card, payment code) on an order",
    route_class_override=direct_route(_take_payment_directly),
)


@router.get("/v1/orders/{order_id}/payments", response_model=Page[PaymentOut], summary="The order's payments")
def list_payments(order_id: str, session: DbSession, actor: SignedIn) -> Page[PaymentOut]:
    return Page[PaymentOut](data=service.list_payments(session, actor, order_id), has_more=False)


@router.post(
    "/v1/orders/{order_id}/refunds",
    response_model=RefundOut,
    status_code=201,
    summary="Refund (part of) a paid order to its tenders, newest first",
)
def refund_order(
    order_id: str,
    body: RefundIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Seller,
    key: IdempotencyKey,
) -> JSONResponse:
    return _run(
        session,
        settings,
        actor,
        key,
        request,
        body,
        lambda: service.refund_order(session, settings, actor, order_id, body),
    )


@router.get("/v1/orders/{order_id}/qr", response_model=QrPayloadOut, summary="The order's dynamic QR payload")
async def order_qr(order_id: str, request: Request, actor: Seller) -> QrPayloadOut:
    # A checkout's hot path (bench/checkout.py): one hop to a thread where the unit of work runs and
    # commits (the code it may create), no generator dependency.
    settings: Settings = request.app.state.settings
    payload = await in_unit_of_work(
        request, lambda session: service.order_qr(session, settings, actor, order_id)
    )
    return QrPayloadOut(payload=payload)


@router.get("/v1/orders/{order_id}/qr.png", response_class=Response, summary="The order's dynamic QR (PNG)")
def order_qr_png(order_id: str, session: DbSession, settings: AppSettings, actor: Seller) -> Response:
    return Response(qr_png(service.order_qr(session, settings, actor, order_id)), media_type="image/png")


@router.get("/v1/orders/{order_id}/qr.svg", response_class=Response, summary="The order's dynamic QR (SVG)")
def order_qr_svg(order_id: str, session: DbSession, settings: AppSettings, actor: Seller) -> Response:
    return Response(qr_svg(service.order_qr(session, settings, actor, order_id)), media_type="image/svg+xml")


@router.get("/v1/stores/{store_id}/qr", response_model=QrPayloadOut, summary="The store's static QR payload")
def store_qr(store_id: str, session: DbSession, settings: AppSettings, actor: Seller) -> QrPayloadOut:
    return QrPayloadOut(payload=service.store_qr(session, settings, actor, store_id))


@router.get("/v1/stores/{store_id}/qr.svg", response_class=Response, summary="The store's static QR (SVG)")
def store_qr_svg(store_id: str, session: DbSession, settings: AppSettings, actor: Seller) -> Response:
    return Response(qr_svg(service.store_qr(session, settings, actor, store_id)), media_type="image/svg+xml")


async def pay_qr(body: QrPaymentIn, request: Request, actor: Customer, key: IdempotencyKey) -> JSONResponse:
    # A checkout's hot path (bench/checkout.py): async, one hop to a thread where the unit of work
    # runs and commits (``kit.deps.in_unit_of_work``), no generator dependency.
    settings: Settings = request.app.state.settings

    def work(session: Session) -> JSONResponse:
        return _run(
            session,
            settings,
            actor,
            key,
            request,
            body,
            lambda: service.pay_qr(session, settings, actor, body),
        )

    return await in_unit_of_work(request, work)


_customer = Access(Role.CUSTOMER)  # the same audience as ``Customer`` in the declaration


async def _pay_qr_directly(request: Request) -> Response:
    """``pay_qr`` without FastAPI's dependency solving (``kit.deps.direct_route``, as the transfer
    route): the body, the customer and the Idempotency-Key, checked in the order and with the answers
    FastAPI gives (tests/payments/test_qr_route.py sends both the same requests)."""
    data = await read_json_body(request)
    actor = await _customer(request)
    key, errors = required_key(request.headers)
    body, body_problems = body_errors(QrPaymentIn, data, sent=bool(await request.body()))
    if errors or body is None:
        raise RequestValidationError(errors + body_problems)
    return await pay_qr(body, request, actor, key)


router.add_api_route(
    QR_PAYMENTS,
    pay_qr,
    methods=["POST"],
    response_model=TenderOut,
    status_code=201,
    summary="Pay a scanned merchant QR code",
    route_class_override=direct_route(_pay_qr_directly),
)


@router.post(
    "/v1/payment-codes",
    response_model=PaymentCodeAnswerOut,
    status_code=201,
    summary="A one-use payment code for the cashier to scan",
)
def issue_code(
    body: PaymentCodeIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Customer,
    key: OptionalIdempotencyKey,
) -> PaymentCodeOut | JSONResponse:
    # A retry after a lost answer (same key) names the same code without the code and its pictures:
    # those are answered once and never stored in clear. No second code is issued.
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.issue_code(session, settings, actor, body.account_id),
        stored=lambda answer: {**answer, "code": None, "barcode_svg": None, "qr_svg": None},
    )
