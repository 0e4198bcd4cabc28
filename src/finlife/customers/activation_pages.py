"""/app/activate: a customer without a login (brought in by a partner, or created at the counter)
sets their password with a one-time code sent to the phone on their record (customers.activation)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.customers import activation
from finlife.identity.one_time_codes import CodeRefused
from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings
from finlife.kit.errors import FinlifeError
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, form_errors, refused_status
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
    phone = phone.strip()
    outcome = attempt(request, lambda session: activation.start_activation(session, settings, phone=phone))
    if isinstance(outcome, FinlifeError):
        errors = form_errors(outcome, language_of(request))
        return render(
            request,
            TEMPLATE,
            status_code=refused_status(outcome),
            step="phone",
            values={"phone": phone},
            errors=errors,
        )
    return render(request, TEMPLATE, step="code", values={"phone": phone, "challenge_id": outcome}, errors={})


@router.post(f"{PAGE}/password", dependencies=[Depends(verify_csrf)])
def set_password(
    request: Request,
    settings: AppSettings,
    actor: Visitor,
    phone: Annotated[str, Form()] = "",
    challenge_id: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    outcome: str | FinlifeError
    # A refused code commits the attempt it spent; any other refusal rolls everything back.
    try:
        with request.app.state.db.unit_of_work() as session:
            try:
                outcome = activation.activate_login(
                    session,
                    settings,
                    challenge_id=challenge_id,
                    code=code,
                    password=password,
                    channel=actor.channel,
                )
            except CodeRefused as refused:
                outcome = refused
    except FinlifeError as error:
        outcome = error
    if isinstance(outcome, str):
        return redirect(f"{CUSTOMER_APP.login_path}?username={outcome}", flash="ui.activated")
    values = {"phone": phone, "challenge_id": challenge_id}
    errors = form_errors(outcome, language_of(request))
    return render(
        request, TEMPLATE, status_code=refused_status(outcome), step="code", values=values, errors=errors
    )
