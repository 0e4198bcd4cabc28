"""A POS order's page: take payment (cash with change, the customer's payment code, an on-us card, or
the order's dynamic QR for the customer's app), split over several tenders; once paid, the receipt
with a print button; refunds of a paid order; cancelling an open one with nothing paid.

Tenders and refunds run once per form key, like the API's Idempotency-Key. A card decline is an
answer, not a failure: its payment row and the wrong-PIN count are committed and the decline is
stored for the key, so a double submit shows the same decline and costs no second PIN attempt.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderStatus
from finlife.kit.auth import Actor
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import CATALOGUE, translate
from finlife.kit.idempotency import Outcome, fingerprint, once
from finlife.kit.qrimage import qr_svg
from finlife.payments import service
from finlife.payments.approvals import service as refund_approvals
from finlife.payments.approvals.refund_form import decode_lines
from finlife.payments.errors import CardDeclined
from finlife.payments.pos import Seller, parse_model, plain_yuan, visible_refusal
from finlife.payments.schemas import (
    CardTenderIn,
    CashTenderIn,
    PaymentCodeTenderIn,
    RefundIn,
)
from finlife.web.csrf import verify_csrf
from finlife.web.forms import (
    attempt,
    local_time,
    move_money,
    new_form_key,
    page_errors,
    parse_amount,
    refused_status,
)
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)

TENDERS = ("cash", "code", "card", "qr")
TENDER_FIELDS = ("amount", "tendered", "code", "pan", "expiry", "entry_mode", "pin")
REFUND_FIELDS = ("amount", "reason")
SECRET_FIELDS = ("pan", "expiry", "pin", "code")


class DeclineAnswer(BaseModel):
    """A card decline as stored for the form's key (replayed on a double submit)."""

    code: str
    response_code: str
    reason: str
    payment_id: str


class _Declined(Exception):
    """Carries a decline out of ``once`` so no success is stored for it; nothing is rolled back."""

    def __init__(self, decline: CardDeclined) -> None:
        super().__init__(decline.code)
        self.decline = decline


def decline_message(answer: dict[str, Any], language: str) -> str:
    """card_declined with the response code's reason in words (wrong PIN, insufficient funds …)."""
    reason_key = f"ui.pos.decline.{answer['reason']}"
    reason = translate(reason_key, language) if reason_key in CATALOGUE else answer["reason"]
    return translate("card_declined", language, {"response_code": answer["response_code"], "reason": reason})


def order_page(
    request: Request,
    actor: Actor,
    order_id: str,
    *,
    status_code: int = 200,
    tender: str = "cash",
    change_of: str | None = None,
    failed: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    key: str | None = None,
) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        order = cashier.get_order(session, actor, order_id)
        payments = service.list_payments(session, actor, order_id)
        shift = cashier.current_shift(session, order.terminal_id)
        pending_requests = refund_approvals.pending_for_order(session, order.id)
        payload = None
        if order.status == OrderStatus.OPEN and tender == "qr":
            payload = service.order_qr(session, settings, actor, order_id)
    outstanding = order.total - order.paid
    return render(
        request,
        "payments/pos_order.html",
        status_code=status_code,
        order=order,
        payments=payments,
        shift=shift,
        outstanding=outstanding,
        refundable=order.paid - order.refunded,
        quick_cash=quick_cash(outstanding),
        pending_requests=pending_requests,
        tender=tender if tender in TENDERS else "cash",
        payload=payload,
        change_payment=next((p for p in payments if p.id == change_of), None),
        failed=failed,
        errors=errors or {},
        values=values or {},
        key=key or new_form_key(),
        yuan=plain_yuan,
        local=local_time,
    )


@router.get("/merchant/pos/orders/{order_id}", response_class=HTMLResponse)
def order(
    request: Request,
    order_id: str,
    actor: Seller,
    tender: Annotated[str, Query(max_length=8)] = "cash",
    change: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    return order_page(request, actor, order_id, tender=tender, change_of=change)


@router.get("/merchant/pos/orders/{order_id}/qr.svg")
def order_qr_image(request: Request, order_id: str, actor: Seller) -> Response:
    """The order's dynamic QR code for the customer to scan (the same code the page shows as text)."""
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        payload = service.order_qr(session, settings, actor, order_id)
    return Response(
        qr_svg(payload, scale=6), media_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


@router.get("/merchant/pos/orders/{order_id}/state")
def order_state(request: Request, order_id: str, actor: Seller) -> JSONResponse:
    """Status and amount paid, polled while the customer pays the QR code in their app."""
    with request.app.state.db.unit_of_work() as session:
        found = cashier.get_order(session, actor, order_id)
    return JSONResponse(
        {"status": found.status.value, "paid": found.paid}, headers={"Cache-Control": "no-store"}
    )


@router.get("/merchant/pos/orders/{order_id}/receipt", response_class=HTMLResponse)
def receipt(request: Request, order_id: str, actor: Seller) -> HTMLResponse:
    """The printable receipt (58 mm), in the cashier's language."""
    with request.app.state.db.unit_of_work() as session:
        data = cashier.receipt(session, actor, order_id)
    return HTMLResponse(cashier.render_receipt(data, fmt="html", language=language_of(request)))


# Tenders ---------------------------------------------------------------------------------------------


def quick_cash(outstanding: int) -> list[int]:
    """The notes a customer is likely to hand over for ``outstanding`` fen: the exact sum, then the
    sum rounded up to the next ¥10, ¥50 and ¥100 (each shown once), for one-tap cash."""
    amounts = [outstanding]
    for step in (1_000, 5_000, 10_000):
        rounded = -(-outstanding // step) * step
        if rounded not in amounts:
            amounts.append(rounded)
    return amounts if outstanding > 0 else []


def _tender_body(form: dict[str, str]) -> CashTenderIn | CardTenderIn | PaymentCodeTenderIn:
    method = form["method"]
    amount = parse_amount(form["amount"])
    if method == "cash":
        typed = form["quick_cash"] or form["tendered"]
        tendered = parse_amount(typed, "tendered") if typed.strip() else amount
        return parse_model(CashTenderIn, {"method": "cash", "amount": amount, "tendered": tendered})
    if method == "code":
        code = "".join(form["code"].split())
        return parse_model(PaymentCodeTenderIn, {"method": "payment_code", "amount": amount, "code": code})
    if method == "card":
        data = {
            "method": "card",
            "amount": amount,
            "pan": "".join(form["pan"].split()),
            "expiry": _expiry(form["expiry"]),
            "entry_mode": form["entry_mode"],
            "pin": form["pin"] or None,
        }
        return parse_model(CardTenderIn, data)
    raise FinlifeError("ui.field_invalid", status=422, field="method")


def _expiry(text: str) -> str:
    """MM/YY (or MMYY) as printed on the card → YYMM as the card host reads it."""
    digits = "".join(char for char in text if char.isdigit())
    if len(digits) != 4 or not 1 <= int(digits[:2]) <= 12:
        raise FinlifeError("ui.pos.expiry_invalid", status=422, field="expiry")
    return digits[2:] + digits[:2]


def _tender_once(
    request: Request,
    actor: Actor,
    order_id: str,
    key: str,
    body: CashTenderIn | CardTenderIn | PaymentCodeTenderIn,
) -> Outcome | FinlifeError:
    """The tender once per form key: 201 with the tender, or 402 with a card decline (both replayed).

    Card data and codes enter the stored fingerprint only through one keyed HMAC, as in the API.
    """
    if not key:
        return FinlifeError("idempotency_key_missing", status=400)
    settings = request.app.state.settings
    data: dict[str, Any] = body.model_dump(mode="json")
    secrets = "\x00".join(str(data.pop(name, "")) for name in SECRET_FIELDS)
    data["secrets"] = hmac.new(settings.secret_key.encode(), secrets.encode(), hashlib.sha256).hexdigest()
    request_fingerprint = fingerprint("POST", request.url.path, data)
    scope = actor.user_id or "anonymous"
    database: Database = request.app.state.db
    # Another bank's card is asked before the unit of work: nothing is locked while it answers.
    asked = None
    if isinstance(body, CardTenderIn):
        asked = service.ask_off_us_first(database, settings, actor, order_id, body, scope=scope, key=key)

    def approved(session: Session) -> BaseModel:
        result = service.take_payment(session, settings, actor, order_id, body, asked)
        if isinstance(result, CardDeclined):
            raise _Declined(result)
        return result

    def run(session: Session) -> Outcome:
        common: dict[str, Any] = {"scope": scope, "key": key, "request_fingerprint": request_fingerprint}
        try:
            return once(session, status_code=201, work=lambda: approved(session), **common)
        except _Declined as declined:
            found = declined.decline
            answer = DeclineAnswer(
                code=found.code,
                response_code=found.response_code,
                reason=found.reason,
                payment_id=found.payment_id,
            )
            return once(session, status_code=found.status, work=lambda: answer, **common)

    try:
        return attempt(request, run)
    finally:
        if asked is not None:  # an answer left unbooked (refused, replayed, failed) is given up
            service.give_up_off_us(database, asked)


@router.post("/merchant/pos/orders/{order_id}/payments", dependencies=[Depends(verify_csrf)])
def take_payment(
    request: Request,
    order_id: str,
    actor: Seller,
    method: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    tendered: Annotated[str, Form()] = "",
    quick_cash: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    pan: Annotated[str, Form()] = "",
    expiry: Annotated[str, Form()] = "",
    entry_mode: Annotated[str, Form()] = "chip",
    pin: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    form = {"method": method, "amount": amount, "tendered": tendered, "quick_cash": quick_cash}
    form |= {"code": code, "pan": pan}
    form |= {"expiry": expiry, "entry_mode": entry_mode, "pin": pin}
    outcome: Outcome | FinlifeError
    try:
        body = _tender_body(form)
    except FinlifeError as error:
        outcome = error
    else:
        outcome = _tender_once(request, actor, order_id, idempotency_key, body)
    language = language_of(request)
    if isinstance(outcome, FinlifeError) or outcome.status_code != 201:
        if isinstance(outcome, FinlifeError):
            visible_refusal(outcome)
            errors = page_errors(outcome, language, TENDER_FIELDS)
            status = refused_status(outcome)
        else:
            errors = {"_form": decline_message(outcome.body, language)}
            status = outcome.status_code
        # The card's number and PIN are never written back into the page.
        kept = {"amount": amount, "tendered": tendered, "entry_mode": entry_mode}
        return order_page(
            request,
            actor,
            order_id,
            status_code=status,
            tender=method if method in TENDERS else "cash",
            failed="tender",
            errors=errors,
            values=kept,
        )
    paid = outcome.body
    target = f"/merchant/pos/orders/{order_id}"
    if method == "cash" and paid.get("change"):
        target += f"?change={paid['id']}"
    flash = "ui.pos.order_paid" if paid.get("order_status") == OrderStatus.PAID else "ui.pos.tender_taken"
    return redirect(target, flash=flash)


# Refunds and cancelling ----------------------------------------------------------------------------


@router.post("/merchant/pos/orders/{order_id}/refunds", dependencies=[Depends(verify_csrf)])
def refund(
    request: Request,
    order_id: str,
    actor: Seller,
    amount: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    lines: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    """The confirmed refund of the review step (approvals.pages): (part of) a paid order back to its
    tenders, newest first (cash from the open shift's drawer), the chosen goods back to stock."""
    settings = request.app.state.settings
    outcome: Outcome | FinlifeError
    try:
        body = parse_model(
            RefundIn, {"amount": parse_amount(amount), "reason": reason, "lines": decode_lines(lines)}
        )
    except FinlifeError as error:
        outcome = error
    else:
        outcome = move_money(
            request,
            actor,
            key=idempotency_key,
            body=body.model_dump(mode="json"),
            work=lambda session: service.refund_order(session, settings, actor, order_id, body),
        )
    if isinstance(outcome, FinlifeError):
        visible_refusal(outcome)
        return order_page(
            request,
            actor,
            order_id,
            status_code=refused_status(outcome),
            failed="refund",
            errors=page_errors(outcome, language_of(request), REFUND_FIELDS),
            values={"refund_amount": amount, "reason": reason},
            key=idempotency_key,
        )
    return redirect(f"/merchant/pos/orders/{order_id}", flash="ui.pos.refunded")


@router.post("/merchant/pos/orders/{order_id}/cancel", dependencies=[Depends(verify_csrf)])
def cancel(request: Request, order_id: str, actor: Seller) -> Response:
    """Cancel an open order with nothing paid yet (a mistaken ring-up)."""
    outcome = attempt(request, lambda session: cashier.cancel_order(session, actor, order_id))
    if isinstance(outcome, FinlifeError):
        visible_refusal(outcome)
        return order_page(
            request,
            actor,
            order_id,
            status_code=refused_status(outcome),
            failed="tender",
            errors={"_form": outcome.message(language_of(request))},
        )
    return redirect("/merchant/pos", flash="ui.pos.order_cancelled")
