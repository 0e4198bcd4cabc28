"""The customer app's unlock pages (/app/unlock): a login frozen by failed sign-ins is unlocked by its
owner with a code texted to the phone on their customer record (``self_unlock``), the same functions
as ``POST /v1/auth/unlock-requests`` and ``POST /v1/auth/unlock``. The sign-in page offers it when it
answers ``sign_in_frozen``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from finlife.customers import self_unlock
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
UNLOCK = "/app/unlock"


def _page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("errors", {})
    return render(request, "customers/unlock.html", status_code=status_code, **context)


@router.get(UNLOCK, response_class=HTMLResponse)
def unlock_form(
    request: Request, actor: Visitor, username: Annotated[str, Query(max_length=64)] = ""
) -> HTMLResponse:
    return _page(request, username=username.strip(), sent=False)


@router.post(UNLOCK, dependencies=[Depends(verify_csrf)])
def send_code(
    request: Request, settings: AppSettings, actor: Visitor, username: Annotated[str, Form()] = ""
) -> Response:
    username = username.strip()[:64]
    refused: FinlifeError | None
    if not username:
        refused = FinlifeError("ui.unlock.username_required", status=422, field="username")
    else:
        # Own unit of work: a throttled request still commits its count.
        with request.app.state.db.unit_of_work() as session:
            refused = self_unlock.request_code(
                session, settings, username=username, source=client_address(request)
            )
    if refused is not None:
        errors = form_errors(refused, language_of(request))
        return _page(
            request, status_code=refused_status(refused), username=username, sent=False, errors=errors
        )
    return _page(request, username=username, sent=True)


@router.post(UNLOCK + "/code", dependencies=[Depends(verify_csrf)])
def unlock_with_code(
    request: Request,
    settings: AppSettings,
    actor: Visitor,
    username: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
) -> Response:
    username = username.strip()[:64]
    # Own unit of work: a wrong code's try is committed with its refusal.
    with request.app.state.db.unit_of_work() as session:
        refused = self_unlock.unlock(
            session,
            settings,
            username=username,
            code=code[:12],
            new_password=new_password or None,
            source=client_address(request),
            channel=actor.channel,
        )
    if refused is not None:
        errors = form_errors(refused, language_of(request))
        return _page(
            request, status_code=refused_status(refused), username=username, sent=True, errors=errors
        )
    return redirect(f"{CUSTOMER_APP.login_path}?username={username}", flash="ui.unlock.done")
