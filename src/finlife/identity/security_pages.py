"""The customer's own security settings in the app: the payment password (/app/me/payment-password:
set the first with the sign-in password, change it with the old one), the sign-in password
(/app/me/password, with the old one), and signing out everywhere (/app/me/sessions: a confirmation,
then ``identity.sessions``, as ``POST /v1/me/sessions/revoke-all``). The passwords call
``identity.payment_password``, the functions behind ``PUT /v1/me/payment-password``; a wrong old
payment password's try is committed with its refusal.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.identity import payment_password
from finlife.identity.sessions import end_every_session
from finlife.kit.auth import TOKEN_COOKIE, Actor
from finlife.kit.errors import FinlifeError
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
PAYPASS_ADDRESS = "/app/me/payment-password"
LOGIN_CHANGE_ADDRESS = "/app/me/password"
SESSIONS_ADDRESS = "/app/me/sessions"
FIELDS = ("old_password", "sign_in_password", "new_password", "repeat_password")
Secret = Annotated[str, Form(max_length=128)]


def _page(
    request: Request, actor: Actor, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        has_one = payment_password.has_payment_password(session, actor.user_id or "")
    context.setdefault("errors", {})
    return render(request, template, status_code=status_code, has_payment_password=has_one, **context)


@router.get(PAYPASS_ADDRESS, response_class=HTMLResponse)
def payment_password_form(request: Request, actor: Customer) -> HTMLResponse:
    return _page(request, actor, "identity/payment_password.html")


@router.post(PAYPASS_ADDRESS, dependencies=[Depends(verify_csrf)])
def set_payment_password(
    request: Request,
    actor: Customer,
    old_password: Secret = "",
    sign_in_password: Secret = "",
    new_password: Secret = "",
    repeat_password: Secret = "",
) -> Response:
    settings = request.app.state.settings
    refused: FinlifeError | None
    if new_password != repeat_password:
        refused = FinlifeError("ui.paypass.repeat_differs", status=422, field="repeat_password")
    else:
        try:
            # Its own unit of work, committed even when the old one was wrong (the try counts).
            with request.app.state.db.unit_of_work() as session:
                refused = payment_password.set_payment_password(
                    session,
                    settings,
                    actor.user_id or "",
                    new_password=new_password,
                    old_password=old_password or None,
                    sign_in_password=sign_in_password or None,
                )
        except FinlifeError as error:
            refused = error
    if refused is not None:
        errors = page_errors(refused, language_of(request), FIELDS)
        template = "identity/payment_password.html"
        return _page(request, actor, template, status_code=refused_status(refused), errors=errors)
    return redirect("/app/me", flash="ui.paypass.saved")


@router.get(LOGIN_CHANGE_ADDRESS, response_class=HTMLResponse)
def password_form(request: Request, actor: Customer) -> HTMLResponse:
    return _page(request, actor, "identity/password.html")


@router.post(LOGIN_CHANGE_ADDRESS, dependencies=[Depends(verify_csrf)])
def change_password(
    request: Request,
    actor: Customer,
    old_password: Secret = "",
    new_password: Secret = "",
    repeat_password: Secret = "",
) -> Response:
    settings = request.app.state.settings

    def work(session: Any) -> None:
        if new_password != repeat_password:
            raise FinlifeError("ui.paypass.repeat_differs", status=422, field="repeat_password")
        payment_password.change_sign_in_password(
            session, settings, actor.user_id or "", old_password=old_password, new_password=new_password
        )

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), FIELDS)
        return _page(
            request, actor, "identity/password.html", status_code=refused_status(outcome), errors=errors
        )
    return redirect("/app/me", flash="ui.password.saved")


@router.get(SESSIONS_ADDRESS, response_class=HTMLResponse)
def sessions_form(request: Request, actor: Customer) -> HTMLResponse:
    return _page(request, actor, "identity/sessions.html")


@router.post(SESSIONS_ADDRESS, dependencies=[Depends(verify_csrf)])
def sign_out_everywhere(request: Request, actor: Customer) -> Response:
    end_every_session(request, actor)
    response = redirect(CUSTOMER_APP.login_path, flash="ui.sessions.ended")
    response.delete_cookie(TOKEN_COOKIE, path="/")
    return response
