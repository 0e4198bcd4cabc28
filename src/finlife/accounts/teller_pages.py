"""The teller's customer page in the bank console: the customer, their accounts and the counter's
forms (verify in person, open an account, cash in and out), all calling the same services as the API.

It lives with accounts because it shows a customer's accounts; the customers module sits below
accounts and cannot know them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.pages import CURRENCY, bound_here
from finlife.accounts.schemas import AccountClass, AccountOut
from finlife.accounts.voucher_pages import voucher_path
from finlife.customers import service as customers
from finlife.customers import sign_in_unlock
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import Outcome
from finlife.kit.pagination import PageParams
from finlife.kit.permissions import Capability, may
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
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

ServingStaff = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CUSTOMER_RECORDS))]
INTERACTIONS = 8
IDENTITY_FIELDS = ("name", "id_number")

# A part of the customer page from a module above accounts (life: the customer's coupons and
# reviews): given the request, the page's session, the staff member and the customer, its HTML.
CustomerSection = Callable[[Request, Session, Actor, str], Markup]
_sections: list[CustomerSection] = []


def register_customer_section(section: CustomerSection) -> None:
    """Add a section to the teller's customer page (once; app.py wires them at start-up)."""
    if section not in _sections:
        _sections.append(section)


def bank_customer_page(
    request: Request,
    actor: Actor,
    customer_id: str,
    *,
    status_code: int = 200,
    failed: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    revealed_id: str | None = None,
) -> HTMLResponse:
    """The teller's customer page; ``failed`` names the form shown again with ``errors``;
    ``revealed_id``: the whole ID number, shown on this answer only (the page masks it)."""
    settings = request.app.state.settings
    # Own unit of work: after a refused form the request has no session of its own.
    with request.app.state.db.unit_of_work() as session:
        customer = customers.get_customer(session, actor, customer_id)
        owned = accounts.list_customer_accounts(session, settings, actor, customer_id).data
        recent = customers.list_interactions(session, actor, customer_id, PageParams(limit=INTERACTIONS))
        sections = [section(request, session, actor, customer_id) for section in _sections]
        # The unlock form: only while the login is frozen, only for who may check an ID (as the API).
        frozen = may(actor, Capability.IDENTITY_VERIFICATION) and sign_in_unlock.sign_in_frozen(
            session, customer_id
        )
    return render(
        request,
        "accounts/bank_customer.html",
        status_code=status_code,
        customer=customer,
        accounts=owned,
        interactions=recent.data,
        sections=sections,
        login_frozen=frozen,
        may_reveal=may(actor, Capability.IDENTITY_VERIFICATION),
        revealed_id=revealed_id,
        failed=failed,
        errors=errors or {},
        values=values or {},
        new_key=new_form_key,
        local=local_time,
    )


@router.get("/bank/customers/{customer_id}", response_class=HTMLResponse)
def bank_customer(request: Request, customer_id: str, actor: ServingStaff) -> HTMLResponse:
    return bank_customer_page(request, actor, customer_id)


@router.post("/bank/customers/{customer_id}/verify", dependencies=[Depends(verify_csrf)])
def verify_in_person(
    request: Request,
    customer_id: str,
    actor: ServingStaff,
    name: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
) -> Response:
    """The teller has the person and the ID card in front of them: verified in person."""
    name, id_number = name.strip(), id_number.strip().upper()
    outcome = attempt(
        request,
        lambda session: customers.verify_identity(
            session, actor, customer_id, name=name, id_number=id_number
        ),
    )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), IDENTITY_FIELDS)
        values = {"name": name, "id_number": id_number}
        return bank_customer_page(
            request,
            actor,
            customer_id,
            status_code=refused_status(outcome),
            failed="verify",
            errors=errors,
            values=values,
        )
    return redirect(f"/bank/customers/{customer_id}", flash="ui.identity_verified")


@router.post("/bank/customers/{customer_id}/id-number", dependencies=[Depends(verify_csrf)])
def reveal_id_number(
    request: Request,
    customer_id: str,
    actor: ServingStaff,
    reason: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """The whole ID number, once, for a stated reason (audited); not a redirect: a reload masks it."""
    outcome = attempt(
        request, lambda session: customers.reveal_id_number(session, actor, customer_id, reason=reason)
    )
    if isinstance(outcome, FinlifeError):
        return bank_customer_page(
            request,
            actor,
            customer_id,
            status_code=refused_status(outcome),
            failed="reveal",
            errors=page_errors(outcome, language_of(request), ("reason",)),
            values={"reason": reason},
        )
    return bank_customer_page(request, actor, customer_id, revealed_id=outcome)


@router.post("/bank/customers/{customer_id}/sign-in-unlock", dependencies=[Depends(verify_csrf)])
def unlock_sign_in(
    request: Request,
    customer_id: str,
    actor: ServingStaff,
    settings: AppSettings,
    id_number: Annotated[str, Form()] = "",
) -> Response:
    """The customer is at the counter with their ID card: their frozen login is reopened."""
    id_number = id_number.strip().upper()
    outcome = attempt(
        request,
        lambda session: sign_in_unlock.unlock_sign_in(
            session, settings, actor, customer_id, id_number=id_number
        ),
    )
    if isinstance(outcome, FinlifeError):
        return bank_customer_page(
            request,
            actor,
            customer_id,
            status_code=refused_status(outcome),
            failed="unlock",
            errors=page_errors(outcome, language_of(request), ("id_number",)),
            values={"id_number": id_number},
        )
    return redirect(f"/bank/customers/{customer_id}", flash="ui.unlock.teller_done")


@router.post("/bank/customers/{customer_id}/accounts", dependencies=[Depends(verify_csrf)])
def open_at_counter(
    request: Request,
    customer_id: str,
    settings: AppSettings,
    actor: ServingStaff,
    account_class: Annotated[str, Form()] = "",
    bound_account_id: Annotated[str, Form()] = "",
) -> Response:
    outcome: AccountOut | FinlifeError
    try:
        if account_class not in tuple(AccountClass):
            raise FinlifeError("ui.choose_account_class", status=422, field="account_class")
        bound = bound_here(bound_account_id) if bound_account_id else None
    except FinlifeError as error:
        outcome = error
    else:
        outcome = attempt(
            request,
            lambda session: accounts.open_account(
                session,
                settings,
                actor,
                customer_id=customer_id,
                account_class=AccountClass(account_class),
                bound_account=bound,
            ),
        )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("account_class", "bound_account_id"))
        values = {"account_class": account_class, "bound_account_id": bound_account_id}
        return bank_customer_page(
            request,
            actor,
            customer_id,
            status_code=refused_status(outcome),
            failed="open",
            errors=errors,
            values=values,
        )
    return redirect(f"/bank/customers/{customer_id}#{outcome.id}", flash="ui.account_opened")


def _cash_at_counter(
    request: Request, actor: Actor, account_id: str, amount_text: str, key: str, *, deposit: bool
) -> Response:
    settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        # Whose page to go back to; an unknown account is a 404 page.
        owner = accounts.get_account(session, settings, actor, account_id).customer_id
    move = accounts.deposit_cash if deposit else accounts.withdraw_cash
    outcome: Outcome | FinlifeError
    try:
        amount = parse_amount(amount_text)
        body: dict[str, Any] = {"account_id": account_id, "amount": amount, "currency": CURRENCY}
    except FinlifeError as error:
        outcome = error
    else:
        outcome = move_money(
            request, actor, key=key, body=body, work=lambda session: move(session, settings, actor, **body)
        )
    form = f"{'deposit' if deposit else 'withdraw'}:{account_id}"
    if isinstance(outcome, FinlifeError):
        return bank_customer_page(
            request,
            actor,
            owner,
            status_code=refused_status(outcome),
            failed=form,
            errors=page_errors(outcome, language_of(request), ("amount",)),
            values={"amount": amount_text, "idempotency_key": key},
        )
    flash = "ui.cash_deposited" if deposit else "ui.cash_withdrawn"
    # On to the voucher the customer signs and keeps (it links back to the customer's page).
    return redirect(voucher_path(account_id, outcome.body["id"]), flash=flash)


@router.post("/bank/accounts/{account_id}/deposit", dependencies=[Depends(verify_csrf)])
def deposit_at_counter(
    request: Request,
    account_id: str,
    actor: ServingStaff,
    amount: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    return _cash_at_counter(request, actor, account_id, amount, idempotency_key, deposit=True)


@router.post("/bank/accounts/{account_id}/withdraw", dependencies=[Depends(verify_csrf)])
def withdraw_at_counter(
    request: Request,
    account_id: str,
    actor: ServingStaff,
    amount: Annotated[str, Form()] = "",
    idempotency_key: Annotated[str, Form()] = "",
) -> Response:
    return _cash_at_counter(request, actor, account_id, amount, idempotency_key, deposit=False)
