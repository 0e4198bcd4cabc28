"""/app/activate: a customer without a login (brought in by a partner, or created at the counter)
sets their password with a one-time code sent to the phone on their record (customers.activation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.customers import activation
from finlife.kit.auth import Actor, client_address
from finlife.kit.deps import AppSettings
from finlife.kit.errors import FinlifeError
from finlife.web.csrf import verify_csrf
from finlife.web.forms import form_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Visitor = Annotated[Actor, Depends(PageAccess.anyone(CUSTOMER_APP))]
PAGE = "/app/activate"
TEMPLATE = "customers/activate.html"


@router.get(PAGE, response_class=HTMLResponse)
def activate_form(request: Request, actor: Visitor) -> HTMLResponse:
    return render(request, TEMPLATE, step="phone", values={}, errors={})


@router.post(PAGE, dependencies=[Depends(verify_csrf)])
def send_code(
    request: Request, settings: AppSettings, actor: Visitor, phone: Annotated[str, Form()] = ""
) -> Response:
    phone = phone.strip()[:16]
    refused: FinlifeError | None
    try:
        # Own unit of work: a throttled request still commits its count.
        with request.app.state.db.unit_of_work() as session:
            refused = activation.request_code(session, settings, phone=phone, source=client_address(request))
    except FinlifeError as invalid:  # an ill-formed phone: nothing was counted or sent
        refused = invalid
    if refused is not None:
        errors = form_errors(refused, language_of(request))
        status = refused_status(refused)
        return render(
            request, TEMPLATE, status_code=status, step="phone", values={"phone": phone}, errors=errors
        )
    return render(request, TEMPLATE, step="code", values={"phone": phone}, errors={})


@router.post(f"{PAGE}/password", dependencies=[Depends(verify_csrf)])
def set_password(
    request: Request,
    settings: AppSettings,
    actor: Visitor,
    phone: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    phone = phone.strip()[:16]
    outcome: str | FinlifeError
    try:
        # Own unit of work: a wrong code's try is committed with its refusal; a rule that refuses
        # the login itself (raised) rolls everything back, the code unspent.
        with request.app.state.db.unit_of_work() as session:
            outcome = activation.activate_login(
                session,
                settings,
                phone=phone,
                code=code[:12],
                password=password,
                source=client_address(request),
                channel=actor.channel,
            )
    except FinlifeError as error:
        outcome = error
    if isinstance(outcome, str):
        return redirect(f"{CUSTOMER_APP.login_path}?username={outcome}", flash="ui.activated")
    errors = form_errors(outcome, language_of(request))
    return render(
        request,
        TEMPLATE,
        status_code=refused_status(outcome),
        step="code",
        values={"phone": phone},
        errors=errors,
    )
