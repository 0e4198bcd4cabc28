"""Sign-in and sign-out pages of the three web apps (/app, /merchant, /bank).

A page session is the same short-lived token the API hands out, kept in an HttpOnly, SameSite=Lax
cookie. Sign-in goes through ``service.sign_in`` exactly as the REST token endpoint does, for the
shell's channels: the token is bound to the first of them the user's roles allow (a customer on
``mobile``, a cashier on ``pos``, a merchant owner on ``web``, a teller on ``branch``, marketing on
``web``), and only that shell's pages take it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from finlife.identity import service
from finlife.identity.sessions import remember_session
from finlife.kit.auth import TOKEN_COOKIE, client_address
from finlife.kit.deps import AppSettings
from finlife.kit.errors import FinlifeError
from finlife.web.csrf import verify_csrf
from finlife.web.forms import form_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, local_path, redirect, render
from finlife.web.shells import SHELLS, Shell

router = APIRouter(include_in_schema=False)


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        TOKEN_COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def _login_form(shell: Shell) -> Callable[..., HTMLResponse]:
    def login_form(request: Request, next: str | None = None, username: str = "") -> HTMLResponse:
        # ``username`` pre-fills the form, e.g. with the phone number just used to sign up.
        values = {"username": username} if username else {}
        return render(request, "identity/login.html", next=local_path(next, shell.home), values=values)

    return login_form


def _login(shell: Shell) -> Callable[..., Response]:
    def login(
        request: Request,
        settings: AppSettings,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "",
    ) -> Response:
        target = local_path(next, shell.home)
        # Own unit of work: a refused sign-in still commits the failures that throttle the next attempts.
        with request.app.state.db.unit_of_work() as session:
            outcome = service.sign_in(
                session,
                settings,
                username=username.strip(),
                password=password,
                channels=shell.channels,
                source=client_address(request),
            )
        if isinstance(outcome, FinlifeError):
            context: dict[str, Any] = {
                "errors": form_errors(outcome, language_of(request)),
                "values": {"username": username},
                "next": target,
                # The customer app offers the owner's own unlock (customers.unlock_pages).
                "offer_unlock": outcome.code == "sign_in_frozen" and shell.name == "app",
            }
            return render(request, "identity/login.html", status_code=refused_status(outcome), **context)
        response = redirect(target if shell.returns_to(target) else shell.home)
        set_session_cookie(request, response, outcome.access_token, outcome.expires_in)
        remember_session(request, outcome.access_token)
        return response

    return login


def _logout(shell: Shell) -> Callable[..., RedirectResponse]:
    def logout() -> RedirectResponse:
        response = redirect(shell.login_path, flash="ui.signed_out")
        response.delete_cookie(TOKEN_COOKIE, path="/")
        return response

    return logout


for _shell in SHELLS:
    anyone = Depends(PageAccess.anyone(_shell))
    router.add_api_route(
        _shell.login_path,
        _login_form(_shell),
        methods=["GET"],
        dependencies=[anyone],
        response_class=HTMLResponse,
        name=f"{_shell.name}_login_form",
    )
    router.add_api_route(
        _shell.login_path,
        _login(_shell),
        methods=["POST"],
        dependencies=[anyone, Depends(verify_csrf)],
        name=f"{_shell.name}_login",
    )
    # Signing out needs no valid session (an expired one must still be clearable), only a valid form.
    router.add_api_route(
        _shell.logout_path,
        _logout(_shell),
        methods=["POST"],
        dependencies=[anyone, Depends(verify_csrf)],
        name=f"{_shell.name}_logout",
    )
