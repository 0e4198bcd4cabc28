"""The customer's payment code in the app (/app/pay/code): pick the account, show a one-use code as a QR
code and a barcode for the cashier to scan, with its lifetime counting down and a button for a new
one. The page asks ``/app/pay/code/{id}/state`` every few seconds and, once a cashier has taken the
code, stops counting and opens the payment's result page (without the script it still shows the code).

The code comes from ``payments.service.issue_code``, the function behind ``POST /v1/payment-codes``.
Issuing one writes a row (and an audit event), so it is a form post, never a GET a browser might
prefetch. finlife keeps only the code's HMAC: the page that shows it is its one and only showing, and
it is not cached.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.qrimage import barcode_svg, qr_svg
from finlife.payments import service
from finlife.payments.pay_pages import Customer, active_accounts
from finlife.payments.schemas import PaymentCodeOut
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, refused_status
from finlife.web.render import language_of, render

router = APIRouter(include_in_schema=False)

CODE_PAGE = "/app/pay/code"
CODE_FIELDS = ("account_id",)
# The pictures are drawn here at the page's size, from the code the service issued (its own pictures
# are for API clients): 29 QR modules with the quiet zone at 7 px is about 200 px, easy for a till's
# scanner at arm's length.
QR_SCALE = 7


def code_page(
    request: Request,
    actor: Actor,
    *,
    issued: PaymentCodeOut | None = None,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    account_id: str = "",
) -> HTMLResponse:
    """The account picker, and the code itself once one was issued."""
    owned = active_accounts(request, actor)
    chosen = issued.account_id if issued else account_id
    response = render(
        request,
        "payments/app_code.html",
        status_code=status_code,
        accounts=owned,
        account=next((a for a in owned if a.id == chosen), None),
        selected=chosen or (owned[0].id if owned else ""),
        issued=issued,
        qr=qr_svg(issued.code, scale=QR_SCALE) if issued else None,
        barcode=barcode_svg(issued.code, digits=False) if issued else None,  # digits: below, larger
        seconds_left=_seconds_left(issued) if issued else 0,
        valid_until=issued.expires_at.astimezone(clock.business_zone).strftime("%H:%M:%S") if issued else "",
        errors=errors or {},
    )
    if issued is not None:
        response.headers["Cache-Control"] = "no-store"  # the code must not outlive this page
    return response


def _seconds_left(issued: PaymentCodeOut) -> int:
    return max(0, math.ceil((issued.expires_at - clock.now()).total_seconds()))


@router.get(CODE_PAGE, response_class=HTMLResponse)
def code_form(request: Request, actor: Customer) -> HTMLResponse:
    return code_page(request, actor)


@router.post(CODE_PAGE, response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def show_code(
    request: Request, actor: Customer, account_id: Annotated[str, Form(max_length=32)] = ""
) -> HTMLResponse:
    """Issue a new code on the chosen account and show it (the "new code" button posts here too)."""
    settings = request.app.state.settings

    def work(session: Session) -> PaymentCodeOut:
        if not account_id:
            raise FinlifeError("ui.choose_account", status=422, field="account_id")
        return service.issue_code(session, settings, actor, account_id)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        return code_page(
            request,
            actor,
            status_code=refused_status(outcome),
            errors=page_errors(outcome, language_of(request), CODE_FIELDS),
            account_id=account_id,
        )
    return code_page(request, actor, issued=outcome)


@router.get(CODE_PAGE + "/{code_id}/state")
def code_state(request: Request, code_id: str, actor: Customer) -> JSONResponse:
    """What the code page asks every few seconds: still waiting, taken (and where its result is), or
    run out. Only the code's owner may ask (404 otherwise)."""
    if actor.customer_id is None:
        raise NotFound("payment_code")
    with request.app.state.db.unit_of_work() as session:
        state = service.payment_code_state(session, actor.customer_id, code_id)
    result = f"/app/orders/{state.payment_id}" if state.payment_id else None
    answer = JSONResponse({"status": state.status, "result": result})
    answer.headers["Cache-Control"] = "no-store"
    return answer
