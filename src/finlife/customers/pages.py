"""Customer pages: sign-up and "me" in the customer app, the customer finder in the bank console.

They call the same service as ``api.py``; the page only parses the form and shapes the answer.
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


@router.get("/app", response_class=HTMLResponse)
def app_home(request: Request, session: DbSession, actor: Customer) -> HTMLResponse:
    return render(request, "customers/app_home.html", me=service.me(session, actor))


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
