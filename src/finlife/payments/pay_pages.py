"""Scan to pay in the customer app (/app/pay): paste a merchant's QR code or upload a picture of it,
see whom and how much, pick the account and confirm. A dynamic code carries its amount; a static one
asks for it.

An uploaded picture is decoded on the server (``kit.qrscan``) and then goes on exactly as pasted text.
The payment itself is ``payments.service.pay_qr``, run once per form key like every money form.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountOut, AccountStatus
from finlife.kit import emvqr, qrscan
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import Outcome
from finlife.payments import service
from finlife.payments.pos import parse_model
from finlife.payments.schemas import QrPaymentIn
from finlife.web.csrf import verify_csrf
from finlife.web.forms import move_money, new_form_key, page_errors, parse_amount, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
PAY_FIELDS = ("payload", "account_id", "amount")
PAYLOAD_MAX = 512  # as QrPaymentIn: longer text is no payment code
# A photo from a phone camera is a few megabytes; a screenshot far less.
IMAGE_MAX_BYTES = 10 * 1024 * 1024


def _read(payload: str) -> emvqr.MerchantPresentedQr | FinlifeError:
    try:
        return emvqr.decode(payload)
    except emvqr.InvalidQrPayload:
        return FinlifeError("ui.pay.payload_invalid", status=422, field="payload")


def active_accounts(request: Request, actor: Actor) -> list[AccountOut]:
    """The customer's accounts that can pay, in their own unit of work (pages call this to draw)."""
    if actor.customer_id is None:
        return []
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        listed = accounts.list_customer_accounts(session, settings, actor, actor.customer_id).data
    return [account for account in listed if account.status == AccountStatus.ACTIVE]


def pay_page(
    request: Request,
    actor: Actor,
    payload: str,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    key: str | None = None,
) -> HTMLResponse:
    """Step one without a payload (paste it); step two with one (whom, how much, which account)."""
    errors = dict(errors or {})
    qr = _read(payload) if payload else None
    if isinstance(qr, FinlifeError):
        errors.setdefault("payload", qr.message(language_of(request)))
        qr = None
    return render(
        request,
        "payments/app_pay.html",
        status_code=status_code,
        payload=payload,
        qr=qr,
        accounts=active_accounts(request, actor),
        errors=errors,
        values=values or {},
        key=key or new_form_key(),
    )


@router.get("/app/pay", response_class=HTMLResponse)
def pay_form(
    request: Request, actor: Customer, payload: Annotated[str, Query(max_length=512)] = ""
) -> HTMLResponse:
    return pay_page(request, actor, payload.strip())


@router.post("/app/pay/scan", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def scan_image(
    request: Request, actor: Customer, image: Annotated[UploadFile | None, File()] = None
) -> HTMLResponse:
    """A picture of the merchant's QR code: read on the server, then on as if its text were pasted."""
    # A browser sends the empty file input as a part without a file name: that arrives as None.
    data = image.file.read(IMAGE_MAX_BYTES + 1) if image is not None else b""
    refusal: str | None = None
    payload = ""
    if not data:
        refusal = "ui.pay.image_missing"
    elif len(data) > IMAGE_MAX_BYTES:
        refusal = "ui.pay.image_too_large"
    else:
        try:
            payload = qrscan.read_qr(data).strip()
        except qrscan.UnreadableImage:
            refusal = "ui.pay.image_unreadable"
        except qrscan.NoQrCode:
            refusal = "ui.pay.image_no_code"
        else:
            if not payload or len(payload) > PAYLOAD_MAX:
                refusal = "ui.pay.payload_invalid"
    if refusal is not None:
        error = FinlifeError(refusal, status=422, field="image")
        errors = page_errors(error, language_of(request), ("image",))
        return pay_page(request, actor, "", status_code=422, errors=errors)
    return pay_page(request, actor, payload)


@router.post("/app/pay", dependencies=[Depends(verify_csrf)])
def pay(
    request: Request,
    actor: Customer,
    payload: Annotated[str, Form()] = "",
    account_id: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    settings = request.app.state.settings
    payload = payload.strip()
    outcome: Outcome | FinlifeError
    try:
        if not account_id:
            raise FinlifeError("ui.choose_account", status=422, field="account_id")
        data: dict[str, Any] = {"payload": payload, "account_id": account_id}
        if amount.strip():
            data["amount"] = parse_amount(amount)
        body = parse_model(QrPaymentIn, data)
    except FinlifeError as error:
        outcome = error
    else:
        outcome = move_money(
            request,
            actor,
            key=idempotency_key,
            body=body.model_dump(mode="json"),
            work=lambda session: service.pay_qr(session, settings, actor, body),
        )
    if isinstance(outcome, FinlifeError):
        return pay_page(
            request,
            actor,
            payload,
            status_code=refused_status(outcome),
            errors=page_errors(outcome, language_of(request), PAY_FIELDS),
            values={"account_id": account_id, "amount": amount},
        )
    # The result page of the payment (its store by name, amount, time, reference): a page of the life
    # module above, reached by its address.
    return redirect(f"/app/orders/{outcome.body['id']}", flash="ui.pay.paid")
