"""Transfers in the customer app the way banks do them (/app/transfer): to one of the customer's own
accounts, or to someone else by account or card number with their name checked against the account,
or by the phone number they registered. The form (with each account's limits shown before typing)
goes to a confirmation (/app/transfer/confirm: whom, masked; amount; fee; arrival) and only then to
the transfer, which ends on its line of the payer's statement (its result page).

Above ``transfer_password_threshold`` a transfer to someone else asks for the payment password
(``identity.payment_password``); its wrong tries, like the name checks' refusals, are committed in
a unit of work of their own before the refusal is shown. The final post checks the payee again: the
confirmation's hidden fields are never trusted for whom the money goes to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from finlife.accounts import payees, saved_payees, service
from finlife.accounts.pages import CURRENCY, Customer, own_customer
from finlife.accounts.schemas import AccountOut, PayeeOut
from finlife.accounts.transfer_password import check_payment_password, needs_payment_password
from finlife.identity import payment_password
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import Outcome
from finlife.web.csrf import verify_csrf
from finlife.web.forms import move_money, new_form_key, page_errors, parse_amount, refused_status
from finlife.web.render import language_of, redirect, render

router = APIRouter(include_in_schema=False)

TRANSFER = "/app/transfer"
FIELDS = (
    "from_account_id",
    "to_account_id",
    "saved_payee_id",
    "payee_number",
    "payee_name",
    "payee_phone",
    "amount",
    "memo",
)
CONFIRM_FIELDS = ("payment_password",)
VALUE_NAMES = (*FIELDS, "payee_kind", "save_payee")
WAYS = ("own", "saved", "number", "phone")
Text = Annotated[str, Form(max_length=140)]


@dataclass(frozen=True)
class Payee:
    account_id: str
    masked_name: str  # "" for the customer's own account
    number_last4: str
    own: bool


def _owned(request: Request, actor: Actor) -> list[AccountOut]:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        return service.list_customer_accounts(session, settings, actor, own_customer(actor)).data


def _form_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("key", new_form_key())
    context.setdefault("errors", {})
    context.setdefault("threshold", request.app.state.settings.transfer_password_threshold)
    with request.app.state.db.unit_of_work() as session:
        context.setdefault("saved", saved_payees.list_saved_payees(session, actor))
    return render(
        request,
        "accounts/app_transfer.html",
        status_code=status_code,
        accounts=_owned(request, actor),
        **context,
    )


@router.get(TRANSFER, response_class=HTMLResponse)
def transfer_form(
    request: Request,
    actor: Customer,
    source: Annotated[str, Query(alias="from", max_length=64)] = "",
) -> HTMLResponse:
    # The account the customer came from, else their first: the usual payer is already chosen.
    owned = _owned(request, actor)
    chosen = source or (owned[0].id if owned else "")
    values = {"from_account_id": chosen}  # the way: a saved payee if there is one, else by number
    return _form_page(request, actor, values=values, came_from=source)


def _payee(request: Request, actor: Actor, values: dict[str, str], owned: list[AccountOut]) -> Payee:
    """Whom the form names: one of the customer's own accounts, or someone else's found by number and
    name or by phone (the check's refusal is committed before it is raised)."""
    mine = {a.id: a for a in owned}
    if values["to_account_id"]:
        if values["to_account_id"] not in mine:
            raise FinlifeError("ui.to_account_required", status=422, field="to_account_id")
        return Payee(values["to_account_id"], "", mine[values["to_account_id"]].number[-4:], own=True)
    if values["payee_kind"] == "saved":
        if not values["saved_payee_id"]:
            raise FinlifeError("ui.transfer.choose_saved", status=422, field="saved_payee_id")
        with request.app.state.db.unit_of_work() as session:
            chosen = saved_payees.saved_payee(session, actor, values["saved_payee_id"])
        return Payee(
            chosen.account_id, chosen.masked_name, chosen.number_last4, own=chosen.account_id in mine
        )
    number, name, phone = values["payee_number"], values["payee_name"], values["payee_phone"]
    if not phone and not number:
        raise FinlifeError("ui.to_account_required", status=422, field="payee_number")
    if number and not name:
        raise FinlifeError("ui.field_required", status=422, field="payee_name")
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        found = payees.check_payee(
            session, settings, actor, number=None if phone else number, name=name or None, phone=phone or None
        )
    if not isinstance(found, PayeeOut):
        if found.field == "name":
            found.field = "payee_name"
        elif found.field == "phone":
            found.field = "payee_phone"
        raise found
    return Payee(found.account_id, found.masked_name, found.number_last4, own=found.account_id in mine)


def _values(**typed: str) -> dict[str, str]:
    values = {name: typed.get(name, "").strip() for name in VALUE_NAMES}
    if values["payee_kind"] not in WAYS:  # unchosen: what the form filled in
        values["payee_kind"] = (
            "own" if values["to_account_id"] else "phone" if values["payee_phone"] else "number"
        )
    # Only the fields of the way chosen count: a number left typed under "phone" is not a payee.
    if values["payee_kind"] != "own":
        values["to_account_id"] = ""
    if values["payee_kind"] != "number":
        values["payee_number"] = values["payee_name"] = ""
    if values["payee_kind"] != "phone":
        values["payee_phone"] = ""
    if values["payee_kind"] != "saved":
        values["saved_payee_id"] = ""
    # Only a payee typed by number and checked by name is offered to be saved.
    values["save_payee"] = "yes" if values["payee_kind"] == "number" and values["save_payee"] == "yes" else ""
    values["memo"] = values["memo"][:140]
    return values


def _needs_password(request: Request, actor: Actor, payee: Payee, amount: int) -> bool:
    settings = request.app.state.settings
    return needs_payment_password(settings, actor, amount=amount, to_own=payee.own)


@router.post(TRANSFER + "/confirm", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
def confirm(
    request: Request,
    actor: Customer,
    from_account_id: Text = "",
    payee_kind: Text = "",
    to_account_id: Text = "",
    saved_payee_id: Text = "",
    payee_number: Text = "",
    payee_name: Text = "",
    payee_phone: Text = "",
    amount: Text = "",
    memo: Text = "",
    idempotency_key: Text = "",
) -> HTMLResponse:
    values = _values(
        from_account_id=from_account_id,
        payee_kind=payee_kind,
        to_account_id=to_account_id,
        saved_payee_id=saved_payee_id,
        payee_number=payee_number,
        payee_name=payee_name,
        payee_phone=payee_phone,
        amount=amount,
        memo=memo,
    )
    owned = _owned(request, actor)
    try:
        source = next((a for a in owned if a.id == values["from_account_id"]), None)
        if source is None:
            raise FinlifeError("ui.choose_account", status=422, field="from_account_id")
        fen = parse_amount(values["amount"])
        payee = _payee(request, actor, values, owned)
    except FinlifeError as error:
        errors = page_errors(error, language_of(request), FIELDS)
        return _form_page(
            request,
            actor,
            status_code=refused_status(error),
            errors=errors,
            values=values,
            key=idempotency_key,
        )
    user_id = actor.user_id or ""
    with request.app.state.db.unit_of_work() as session:
        has_password = payment_password.has_payment_password(session, user_id)
    return render(
        request,
        "accounts/app_transfer_confirm.html",
        source=source,
        payee=payee,
        payee_account=next((a for a in owned if a.id == payee.account_id), None),
        amount=fen,
        values=values,
        key=idempotency_key or new_form_key(),
        needs_password=_needs_password(request, actor, payee, fen),
        has_password=has_password,
        errors={},
    )


@router.post(TRANSFER, dependencies=[Depends(verify_csrf)])
def transfer_submit(
    request: Request,
    actor: Customer,
    from_account_id: Text = "",
    payee_kind: Text = "",
    to_account_id: Text = "",
    saved_payee_id: Text = "",
    payee_number: Text = "",
    payee_name: Text = "",
    payee_phone: Text = "",
    amount: Text = "",
    memo: Text = "",
    save_payee: Text = "",
    payment_password_typed: Annotated[str, Form(alias="payment_password", max_length=6)] = "",
    idempotency_key: Text = "",
) -> Response:
    values = _values(
        from_account_id=from_account_id,
        payee_kind=payee_kind,
        to_account_id=to_account_id,
        saved_payee_id=saved_payee_id,
        payee_number=payee_number,
        payee_name=payee_name,
        payee_phone=payee_phone,
        amount=amount,
        memo=memo,
        save_payee=save_payee,
    )
    settings = request.app.state.settings
    outcome: Outcome | FinlifeError
    try:
        if not values["from_account_id"]:
            raise FinlifeError("ui.choose_account", status=422, field="from_account_id")
        fen = parse_amount(values["amount"])
        payee = _payee(request, actor, values, _owned(request, actor))
        if _needs_password(request, actor, payee, fen):
            # Its own unit of work: a wrong try is counted even though nothing moves.
            with request.app.state.db.unit_of_work() as session:
                refused = check_payment_password(session, settings, actor, payment_password_typed)
            if refused is not None:
                return _confirm_again(request, actor, values, payee, fen, idempotency_key, refused)
        body: dict[str, Any] = {
            "from_account_id": values["from_account_id"],
            "to_account_id": payee.account_id,
            "amount": fen,
            "currency": CURRENCY,
            "memo": values["memo"],
        }
    except FinlifeError as error:
        outcome = error
    else:
        outcome = move_money(
            request,
            actor,
            key=idempotency_key,
            body=body,
            work=lambda session: service.transfer(session, settings, actor, **body),
        )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), FIELDS)
        if outcome.field == "to_account_id" and values["payee_kind"] != "own":
            errors = {"payee_number": errors.pop("to_account_id")}
        return _form_page(
            request,
            actor,
            status_code=refused_status(outcome),
            errors=errors,
            values=values,
            key=idempotency_key or new_form_key(),
        )
    if values["save_payee"] and not payee.own:
        # After the money moved: the payee passed the check the transfer itself relied on.
        with request.app.state.db.unit_of_work() as session:
            saved_payees.keep_payee(
                session,
                actor,
                account_id=payee.account_id,
                masked_name=payee.masked_name,
                number_last4=payee.number_last4,
            )
    # The result: the transfer's line on the payer's statement (amount, payee by name, time, reference).
    entry_id = outcome.body["entry_id"]
    return redirect(f"/app/accounts/{values['from_account_id']}/entries/{entry_id}", flash="ui.transfer_done")


def _confirm_again(
    request: Request,
    actor: Actor,
    values: dict[str, str],
    payee: Payee,
    amount: int,
    key: str,
    refused: FinlifeError,
) -> HTMLResponse:
    owned = _owned(request, actor)
    source = next((a for a in owned if a.id == values["from_account_id"]), None)
    with request.app.state.db.unit_of_work() as session:
        has_password = payment_password.has_payment_password(session, actor.user_id or "")
    return render(
        request,
        "accounts/app_transfer_confirm.html",
        status_code=refused_status(refused),
        source=source,
        payee=payee,
        payee_account=next((a for a in owned if a.id == payee.account_id), None),
        amount=amount,
        values=values,
        key=key or new_form_key(),
        needs_password=True,
        has_password=has_password,
        errors=page_errors(refused, language_of(request), CONFIRM_FIELDS),
    )
