"""The customer's transfer to another bank in the app (/app/transfer/other-bank): choose one of our
accounts, the other bank from the directory, the account number and its holder's name; then a status
page that follows the transfer from ``pending`` to ``completed`` or ``rejected``.

The form posts through ``accounts.send_to_other_bank`` — the same path as ``POST /v1/transfers`` with
a ``destination`` — under the form's idempotency key, so a double submit sends one transfer.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import ValidationError

from finlife.accounts import service as accounts
from finlife.accounts.schemas import OtherBankDestination
from finlife.interbank import service
from finlife.interbank.schemas import BankOut
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.errors import FinlifeError, Forbidden
from finlife.kit.idempotency import Outcome
from finlife.web.csrf import verify_csrf
from finlife.web.forms import local_time, move_money, new_form_key, page_errors, parse_amount, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
OTHER_BANK = "/app/transfer/other-bank"
CURRENCY = "CNY"
FIELDS = ("from_account_id", "bank_code", "account_number", "name", "amount", "memo", "payment_password")
REASONS = ("AC01", "AC04", "AC06", "AG01", "AM02", "AM03", "AM04", "BE01")  # those we explain in words


def _own_customer(actor: Actor) -> str:
    if actor.customer_id is None:
        raise Forbidden()
    return actor.customer_id


def banks_taking_transfers(banks: list[BankOut]) -> list[BankOut]:
    """The directory's banks that take credit transfers (an ISO 20022 address), by name."""
    return sorted((bank for bank in banks if bank.iso20022_url), key=lambda bank: bank.name)


def _form_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        owned = accounts.list_customer_accounts(session, settings, actor, _own_customer(actor)).data
        banks = banks_taking_transfers(service.list_banks(session))
    context.setdefault("key", new_form_key())
    context.setdefault("threshold", settings.transfer_password_threshold)
    return render(
        request,
        "interbank/app_transfer.html",
        status_code=status_code,
        accounts=owned,
        banks=banks,
        **context,
    )


@router.get(OTHER_BANK, response_class=HTMLResponse)
def transfer_form(
    request: Request,
    actor: Customer,
    source: Annotated[str, Query(alias="from", max_length=64)] = "",
) -> HTMLResponse:
    return _form_page(request, actor, values={"from_account_id": source})


def destination_of(bank_code: str, account_number: str, name: str) -> OtherBankDestination:
    """The payee as typed: spaces in the number are ignored; a malformed one is refused at its field."""
    if not bank_code:
        raise FinlifeError("ui.bank_code_required", status=422, field="bank_code")
    if not name.strip():
        raise FinlifeError("ui.interbank.name_required", status=422, field="name")
    try:
        return OtherBankDestination(
            bank_code=bank_code, account_number=re.sub(r"\s", "", account_number), name=name.strip()
        )
    except ValidationError as exc:
        raise FinlifeError("ui.other_bank_number_invalid", status=422, field="account_number") from exc


@router.post(OTHER_BANK, dependencies=[Depends(verify_csrf)])
def transfer_submit(
    request: Request,
    settings: AppSettings,
    actor: Customer,
    from_account_id: Annotated[str, Form()] = "",
    bank_code: Annotated[str, Form()] = "",
    account_number: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    memo: Annotated[str, Form()] = "",
    payment_password: Annotated[str, Form(max_length=6)] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    outcome: Outcome | FinlifeError
    try:
        if not from_account_id:
            raise FinlifeError("ui.choose_account", status=422, field="from_account_id")
        destination = destination_of(bank_code, account_number, name)
        cents = parse_amount(amount)
        if accounts.needs_payment_password(settings, actor, amount=cents, to_own=False):
            # The rule of POST /v1/transfers; its own unit of work: a wrong try counts though nothing moves.
            with request.app.state.db.unit_of_work() as session:
                refused = accounts.check_payment_password(session, settings, actor, payment_password)
            if refused is not None:
                raise refused
    except FinlifeError as error:
        outcome = error
    else:
        body: dict[str, Any] = {
            "from_account_id": from_account_id,
            "destination": destination.model_dump(),
            "amount": cents,
            "currency": CURRENCY,
            "memo": memo.strip()[:140],
        }
        outcome = move_money(
            request,
            actor,
            key=idempotency_key,
            body=body,
            work=lambda session: accounts.send_to_other_bank(
                session,
                settings,
                actor,
                from_account_id=from_account_id,
                destination=destination,
                amount=cents,
                currency=CURRENCY,
                memo=body["memo"],
            ),
        )
    if isinstance(outcome, FinlifeError):
        values = {
            "from_account_id": from_account_id,
            "bank_code": bank_code,
            "account_number": account_number,
            "name": name,
            "amount": amount,
            "memo": memo,
        }
        return _form_page(
            request,
            actor,
            status_code=refused_status(outcome),
            errors=page_errors(outcome, language_of(request), FIELDS),
            values=values,
            key=idempotency_key or new_form_key(),
        )
    return redirect(f"{OTHER_BANK}/{outcome.body['id']}", flash="ui.interbank.sent")


@router.get(OTHER_BANK + "/{transfer_id}", response_class=HTMLResponse)
def transfer_status(request: Request, transfer_id: str, session: DbSession, actor: Customer) -> HTMLResponse:
    transfer = service.get_transfer(session, actor, transfer_id)
    bank = service.get_bank(session, transfer.bank_code)
    return render(
        request,
        "interbank/app_transfer_status.html",
        transfer=transfer,
        bank=bank,
        reason_known=transfer.reason in REASONS,
        local=local_time,
    )


@router.get(OTHER_BANK + "/{transfer_id}/state")
def transfer_state(transfer_id: str, session: DbSession, actor: Customer) -> JSONResponse:
    """What the status page polls while the transfer is pending (reloading when it changes)."""
    transfer = service.get_transfer(session, actor, transfer_id)
    return JSONResponse({"status": transfer.status}, headers={"Cache-Control": "no-store"})
