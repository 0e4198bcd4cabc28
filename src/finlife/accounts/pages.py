"""Account pages: the customer's accounts, statements and account opening in the app (/app), and an
account's statement in the bank console (/bank). Transfers are in ``transfer_pages``.

They call the same service functions as ``api.py``; a page only parses what a person typed (yuan,
not fen) and shapes the answer. Money-moving forms carry an idempotency key rendered into the form,
and their POST runs through ``kit.idempotency.once`` (``web.forms.move_money``), so a double submit
moves money once.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from finlife.accounts import service, statement_view
from finlife.accounts.schemas import AccountClass, AccountOut, BoundAccountIn
from finlife.customers import service as customers
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.errors import FinlifeError, Forbidden
from finlife.kit.pagination import PageParams
from finlife.kit.permissions import Capability, may
from finlife.settings import Settings
from finlife.web.csrf import verify_csrf
from finlife.web.forms import (
    attempt,
    local_time,
    page_errors,
    refused_status,
)
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE, CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
AccountReader = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.ACCOUNTS_READ))]
CURRENCY = "CNY"  # the pages open and move CNY only
STATEMENT_PAGE = 20
KEY_FIELD = "idempotency_key"
OPEN_FIELDS = ("account_class", "bound_account_id", "bank_code", "bound_number")


def bound_here(account_id: str) -> BoundAccountIn:
    """A binding to an account at this bank, from a form's select (a tampered value is refused)."""
    try:
        return BoundAccountIn(account_id=account_id)
    except ValidationError as exc:
        raise FinlifeError("bound_account_invalid", status=422, field="bound_account_id") from exc


def own_customer(actor: Actor) -> str:
    if actor.customer_id is None:
        raise Forbidden()
    return actor.customer_id


def _bound_here(session: Session, settings: Settings, actor: Actor, account: AccountOut) -> AccountOut | None:
    """The bound Class I account at this bank, as the holder's list shows it (masked), if the reader
    may see the holder's accounts."""
    bound = account.bound_account
    if bound is None or bound.account_id is None:
        return None
    if actor.customer_id != account.customer_id and not may(actor, Capability.ACCOUNTS_READ):
        return None
    owned = service.list_customer_accounts(session, settings, actor, account.customer_id).data
    return next((candidate for candidate in owned if candidate.id == bound.account_id), None)


def _statement_context(
    session: Session, actor: Actor, account_id: str, starting_after: str | None
) -> dict[str, Any]:
    params = PageParams(limit=STATEMENT_PAGE, starting_after=starting_after or None)
    lines = service.statement(session, actor, account_id, params)
    names = statement_view.counterparties(session, account_id, lines.data)
    return {"lines": lines.data, "has_more": lines.has_more, "names": names, "local": local_time}


# Customer app ----------------------------------------------------------------------------------------


@router.get("/app", response_class=HTMLResponse)
def app_home(request: Request, session: DbSession, settings: AppSettings, actor: Customer) -> HTMLResponse:
    me = customers.me(session, actor)
    owned: list[AccountOut] = []
    if actor.customer_id is not None:
        owned = service.list_customer_accounts(session, settings, actor, actor.customer_id).data
    return render(request, "accounts/app_home.html", me=me, accounts=owned)


@router.get("/app/accounts", response_class=HTMLResponse)
def app_accounts(
    request: Request, session: DbSession, settings: AppSettings, actor: Customer
) -> HTMLResponse:
    accounts = service.list_customer_accounts(session, settings, actor, own_customer(actor))
    return render(request, "accounts/app_accounts.html", accounts=accounts.data)


def _open_page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        owned = service.list_customer_accounts(session, settings, actor, own_customer(actor)).data
    class_i = [account for account in owned if account.account_class is AccountClass.I]
    return render(
        request,
        "accounts/app_open.html",
        status_code=status_code,
        class_i=class_i,
        settings=settings,
        **context,
    )


@router.get("/app/accounts/open", response_class=HTMLResponse)
def open_form(request: Request, actor: Customer) -> HTMLResponse:
    return _open_page(request, actor)


def _bound_from_form(bind: str, account_id: str, bank_code: str, number: str) -> BoundAccountIn | None:
    """The binding the person chose: their Class I account here, or one at another bank."""
    if bind == "own":
        if not account_id:
            raise FinlifeError("ui.choose_bound_account", status=422, field="bound_account_id")
        return bound_here(account_id)
    if bind != "other":
        return None  # no choice: the service says whether a binding is required
    if not bank_code:
        raise FinlifeError("ui.bank_code_required", status=422, field="bank_code")
    try:
        return BoundAccountIn(bank_code=bank_code, number=number)
    except ValidationError as exc:
        raise FinlifeError("ui.other_bank_number_invalid", status=422, field="bound_number") from exc


@router.post("/app/accounts/open", dependencies=[Depends(verify_csrf)])
def open_submit(
    request: Request,
    settings: AppSettings,
    actor: Customer,
    account_class: Annotated[str, Form()] = "",
    bind: Annotated[str, Form()] = "",
    bound_account_id: Annotated[str, Form()] = "",
    bank_code: Annotated[str, Form()] = "",
    bound_number: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "account_class": account_class,
        "bind": bind,
        "bound_account_id": bound_account_id,
        "bank_code": bank_code.strip(),
        "bound_number": re.sub(r"\s", "", bound_number),
    }
    outcome: AccountOut | FinlifeError
    try:
        if account_class not in (AccountClass.II, AccountClass.III):
            raise FinlifeError("ui.choose_account_class", status=422, field="account_class")
        bound = _bound_from_form(bind, bound_account_id, values["bank_code"], values["bound_number"])
    except FinlifeError as error:
        outcome = error
    else:
        outcome = attempt(
            request,
            lambda session: service.open_account(
                session,
                settings,
                actor,
                customer_id=own_customer(actor),
                account_class=AccountClass(account_class),
                bound_account=bound,
            ),
        )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), OPEN_FIELDS)
        if outcome.field == "bound_account" and "_form" in errors:
            errors["bound_account_id" if bind == "own" else "_form"] = errors.pop("_form")
        return _open_page(
            request,
            actor,
            status_code=refused_status(outcome),
            errors=errors,
            values=values,
            needs_verification=outcome.code == "kyc_level_insufficient",
        )
    return redirect(f"/app/accounts/{outcome.id}", flash="ui.account_opened")


@router.get("/app/accounts/{account_id}", response_class=HTMLResponse)
def app_account(
    request: Request,
    account_id: str,
    session: DbSession,
    settings: AppSettings,
    actor: Customer,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    account = service.get_account(session, settings, actor, account_id)
    statement = _statement_context(session, actor, account_id, starting_after)
    bound = _bound_here(session, settings, actor, account)
    return render(request, "accounts/app_account.html", account=account, bound=bound, **statement)


# Bank console --------------------------------------------------------------------------------------


@router.get("/bank/accounts/{account_id}", response_class=HTMLResponse)
def bank_account(
    request: Request,
    account_id: str,
    session: DbSession,
    settings: AppSettings,
    actor: AccountReader,
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    account = service.get_account(session, settings, actor, account_id)
    statement = _statement_context(session, actor, account_id, starting_after)
    serving = may(actor, Capability.CUSTOMER_RECORDS)  # only they may open the customer's page
    bound = _bound_here(session, settings, actor, account)
    return render(
        request, "accounts/bank_account.html", account=account, serving=serving, bound=bound, **statement
    )
