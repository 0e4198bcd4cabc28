"""Customer pages: sign-up, home, "me" and identity verification in the customer app; in the bank
console the customer finder, new customers, and the teller's customer page (details, verification
in person, accounts with cash at the counter, recent interactions).

They call the same services as the APIs; the page only parses the form and shapes the answer.
Money-moving forms carry an idempotency key (see ``finlife.accounts.pages``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from finlife.customers import service
from finlife.customers.schemas import CustomerOut
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import Page, PageParams
from finlife.kit.permissions import Capability, may
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, form_errors, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE, CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
Visitor = Annotated[Actor, Depends(PageAccess.anyone(CUSTOMER_APP))]
Staff = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE))]
ServingStaff = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CUSTOMER_RECORDS))]
RECENT = 5
PER_PAGE = 20
INTERACTIONS = 8
IDENTITY_FIELDS = ("name", "id_number")
NEW_CUSTOMER_FIELDS = ("name", "phone", "id_number")


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
    if may(actor, Capability.CUSTOMER_RECORDS):
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
    found = service.search_customers(session, actor, params, query=q, settings=request.app.state.settings)
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
