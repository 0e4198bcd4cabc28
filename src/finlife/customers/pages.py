"""Customer pages: sign-up, home, "me" and identity verification in the customer app; in the bank
console the customer finder, new customers, and the teller's customer page (details, verification
in person, accounts with cash at the counter, recent interactions).

They call the same services as the APIs; the page only parses the form and shapes the answer.
Money-moving forms carry an idempotency key (see ``finlife.accounts.pages``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from finlife.accounts import service as accounts
from finlife.accounts.pages import (
    CURRENCY,
    bound_here,
    local_time,
    move_money,
    new_form_key,
    page_errors,
    parse_amount,
)
from finlife.accounts.schemas import AccountClass, AccountOut
from finlife.customers import service
from finlife.customers.schemas import CustomerOut
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.errors import FinlifeError
from finlife.kit.idempotency import Outcome
from finlife.kit.pagination import Page, PageParams
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, form_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE, CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
Visitor = Annotated[Actor, Depends(PageAccess.anyone(CUSTOMER_APP))]
Staff = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE))]
ServingStaff = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE, *service.SERVING_STAFF))]
RECENT = 5
PER_PAGE = 20
INTERACTIONS = 8
IDENTITY_FIELDS = ("name", "id_number")
NEW_CUSTOMER_FIELDS = ("name", "phone", "id_number")


@router.get("/app", response_class=HTMLResponse)
def app_home(request: Request, session: DbSession, settings: AppSettings, actor: Customer) -> HTMLResponse:
    me = service.me(session, actor)
    owned: list[AccountOut] = []
    if actor.customer_id is not None:
        owned = accounts.list_customer_accounts(session, settings, actor, actor.customer_id).data
    return render(request, "customers/app_home.html", me=me, accounts=owned)


@router.get("/app/me", response_class=HTMLResponse)
def app_me(request: Request, session: DbSession, actor: Customer) -> HTMLResponse:
    return render(request, "customers/app_me.html", me=service.me(session, actor))


@router.get("/app/signup", response_class=HTMLResponse)
def signup_form(request: Request, actor: Visitor) -> HTMLResponse:
    return render(request, "customers/signup.html")


@router.post("/app/signup", dependencies=[Depends(verify_csrf)])
def signup(
    request: Request,
    settings: AppSettings,
    actor: Visitor,
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    name, phone = name.strip(), phone.strip()
    if not name:
        outcome: CustomerOut | FinlifeError = FinlifeError("ui.name_required", status=422, field="name")
    else:
        outcome = attempt(
            request,
            lambda session: service.signup(
                session, settings, actor, phone=phone, password=password, name=name
            ),
        )
    if isinstance(outcome, FinlifeError):
        errors = form_errors(outcome, language_of(request))
        values = {"name": name, "phone": phone}
        return render(
            request,
            "customers/signup.html",
            status_code=refused_status(outcome),
            errors=errors,
            values=values,
        )
    return redirect(f"{CUSTOMER_APP.login_path}?username={outcome.phone}", flash="ui.signed_up")


@router.get("/bank", response_class=HTMLResponse)
def bank_home(request: Request, session: DbSession, actor: Staff) -> HTMLResponse:
    recent: Page[CustomerOut] | None = None
    if actor.has(*service.SERVING_STAFF):
        recent = service.search_customers(session, actor, PageParams(limit=RECENT))
    return render(request, "customers/bank_home.html", recent=recent)


@router.get("/bank/customers", response_class=HTMLResponse)
def bank_customers(
    request: Request,
    session: DbSession,
    actor: ServingStaff,
    q: Annotated[str, Query(max_length=64)] = "",
    starting_after: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    params = PageParams(limit=PER_PAGE, starting_after=starting_after or None)
    found = service.search_customers(session, actor, params, query=q)
    return render(request, "customers/bank_customers.html", found=found, q=q)


@router.get("/app/verify", response_class=HTMLResponse)
def verify_form(request: Request, actor: Customer) -> HTMLResponse:
    return render(request, "customers/app_verify.html")


@router.post("/app/verify", dependencies=[Depends(verify_csrf)])
def verify_remotely(
    request: Request,
    actor: Customer,
    name: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
) -> Response:
    """The customer checks their own resident ID on the phone: verified remotely."""
    name, id_number = name.strip(), id_number.strip().upper()
    outcome = attempt(
        request,
        lambda session: service.verify_identity(
            session, actor, actor.customer_id or "", name=name, id_number=id_number
        ),
    )
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), IDENTITY_FIELDS)
        values = {"name": name, "id_number": id_number}
        return render(
            request,
            "customers/app_verify.html",
            status_code=refused_status(outcome),
            errors=errors,
            values=values,
        )
    return redirect(CUSTOMER_APP.home, flash="ui.identity_verified")


@router.post("/bank/customers", dependencies=[Depends(verify_csrf)])
def create_customer(
    request: Request,
    actor: ServingStaff,
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    id_number: Annotated[str, Form()] = "",
) -> Response:
    """A walk-in customer's record; with the ID card checked at the counter, verified in person."""
    name, phone, id_number = name.strip(), phone.strip(), id_number.strip().upper()
    if not name:
        outcome: CustomerOut | FinlifeError = FinlifeError("ui.name_required", status=422, field="name")
    else:
        outcome = attempt(
            request,
            lambda session: service.create_customer(
                session, actor, name=name, phone=phone, id_number=id_number or None
            ),
        )
    if isinstance(outcome, FinlifeError):
        with request.app.state.db.unit_of_work() as session:
            found = service.search_customers(session, actor, PageParams(limit=PER_PAGE))
        return render(
            request,
            "customers/bank_customers.html",
            status_code=refused_status(outcome),
            found=found,
            q="",
            errors=page_errors(outcome, language_of(request), NEW_CUSTOMER_FIELDS),
            values={"name": name, "phone": phone, "id_number": id_number},
        )
    return redirect(f"/bank/customers/{outcome.id}", flash="ui.customer_created")


def bank_customer_page(
    request: Request,
    actor: Actor,
    customer_id: str,
    *,
    status_code: int = 200,
    failed: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    """The teller's customer page; ``failed`` names the form shown again with ``errors``."""
    settings = request.app.state.settings
    # Own unit of work: after a refused form the request has no session of its own.
    with request.app.state.db.unit_of_work() as session:
        customer = service.get_customer(session, actor, customer_id)
        owned = accounts.list_customer_accounts(session, settings, actor, customer_id).data
        recent = service.list_interactions(session, actor, customer_id, PageParams(limit=INTERACTIONS))
    return render(
        request,
        "customers/bank_customer.html",
        status_code=status_code,
        customer=customer,
        accounts=owned,
        interactions=recent.data,
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
        lambda session: service.verify_identity(session, actor, customer_id, name=name, id_number=id_number),
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
    return redirect(f"/bank/customers/{owner}#{account_id}", flash=flash)


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
