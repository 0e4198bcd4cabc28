"""The partner console (/partner): a partner's developer signs in with the client id and secret
(``authenticate_client``, throttled like people's sign-in), and the session is a partner token with
the ``partner:self`` scope, kept in the session cookie like a person's. Its pages: an overview, the
credentials (rotating the secret shows the new one once), the call log and the API documentation.
Suspending the partner ends the session at the next page (``partners.tokens`` reads its status)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from finlife.identity import throttle
from finlife.identity.pages import set_session_cookie
from finlife.kit.auth import TOKEN_COOKIE, Actor, client_address
from finlife.kit.errors import FinlifeError, Unauthenticated
from finlife.kit.pagination import PageParams
from finlife.partners.models import Partner
from finlife.partners.registry import calls, service
from finlife.partners.registry.credentials import authenticate_client
from finlife.partners.registry.docs import partner_routes
from finlife.partners.registry.schemas import PartnerSecretOut
from finlife.partners.tokens import find_token, issue_tokens, revoke_family
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, form_errors, local_time, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, local_path, redirect, render
from finlife.web.shells import PARTNER_CONSOLE

router = APIRouter(include_in_schema=False)

SELF_SCOPE = "partner:self"
Developer = Annotated[Actor, Depends(PageAccess(PARTNER_CONSOLE, scopes=(SELF_SCOPE,)))]
Anyone = Depends(PageAccess.anyone(PARTNER_CONSOLE))
PER_PAGE = 25


class SignInFailed(Unauthenticated):
    code = "partner_sign_in_failed"


@router.get(PARTNER_CONSOLE.login_path, response_class=HTMLResponse, dependencies=[Anyone])
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(
        request, "partners/registry/console_login.html", next=local_path(next, PARTNER_CONSOLE.home)
    )


@router.post(PARTNER_CONSOLE.login_path, dependencies=[Anyone, Depends(verify_csrf)])
def login(
    request: Request,
    client_id: Annotated[str, Form(max_length=64)] = "",
    client_secret: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    settings = request.app.state.settings
    target = local_path(next, PARTNER_CONSOLE.home)
    # Own unit of work: a refused attempt still commits the failure that throttles the next ones.
    with request.app.state.db.unit_of_work() as session:
        outcome = _sign_in(session, request, client_id.strip(), client_secret)
    if isinstance(outcome, FinlifeError):
        context = {"errors": form_errors(outcome, language_of(request)), "values": {"client_id": client_id}}
        return render(
            request,
            "partners/registry/console_login.html",
            status_code=refused_status(outcome),
            next=target,
            **context,
        )
    response = redirect(target if PARTNER_CONSOLE.owns(target) else PARTNER_CONSOLE.home)
    set_session_cookie(request, response, outcome, settings.token_ttl_seconds)
    return response


def _sign_in(session: Session, request: Request, client_id: str, client_secret: str) -> str | FinlifeError:
    """A console session's token, or why not (throttled as people's sign-ins are, per source and id)."""
    settings = request.app.state.settings
    throttles = throttle.load(
        session, settings, source=client_address(request), username=f"client:{client_id}"
    )
    refusal = throttle.refusal(throttles)
    if refusal is not None:
        return refusal
    partner = authenticate_client(session, settings, client_id, client_secret)
    if partner is None:
        throttle.record_failure(throttles, settings)
        return SignInFailed()
    throttle.record_success(throttles)
    issued = issue_tokens(
        session, partner=partner, scopes=[SELF_SCOPE], access_ttl_seconds=settings.token_ttl_seconds
    )
    return issued.access_token


@router.post(PARTNER_CONSOLE.logout_path, dependencies=[Anyone, Depends(verify_csrf)])
def logout(request: Request) -> RedirectResponse:
    """Sign out: the session's token is revoked, not only forgotten by this browser."""
    token = request.cookies.get(TOKEN_COOKIE)
    if token:
        with request.app.state.db.unit_of_work() as session:
            stored = find_token(session, token, "access")
            if stored is not None:
                revoke_family(session, stored.family)
    response = redirect(PARTNER_CONSOLE.login_path, flash="ui.signed_out")
    response.delete_cookie(TOKEN_COOKIE, path="/")
    return response


def _own(session: Session, actor: Actor) -> Partner:
    if actor.grant is None:
        raise Unauthenticated()
    return service.load_partner(session, actor.grant.partner_id)


@router.get(PARTNER_CONSOLE.home, response_class=HTMLResponse)
def overview(request: Request, actor: Developer) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        partner = service.partner_out(_own(session, actor))
    return render(request, "partners/registry/console_overview.html", partner=partner, when=local_time)


@router.get(PARTNER_CONSOLE.prefix + "/credentials", response_class=HTMLResponse)
def credentials(request: Request, actor: Developer) -> HTMLResponse:
    return _credentials_page(request, actor, None)


def _credentials_page(request: Request, actor: Actor, rotated: PartnerSecretOut | None) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        partner = service.partner_out(_own(session, actor))
    return render(
        request,
        "partners/registry/console_credentials.html",
        partner=partner,
        rotated=rotated,
        when=local_time,
    )


@router.post(
    PARTNER_CONSOLE.prefix + "/credentials/secret",
    response_class=HTMLResponse,
    dependencies=[Depends(verify_csrf)],
)
def rotate(request: Request, actor: Developer) -> HTMLResponse:
    """The partner rotates its own secret; the page that answers is the only place it appears."""
    settings = request.app.state.settings
    partner_id = actor.grant.partner_id if actor.grant is not None else ""
    outcome = attempt(request, lambda session: service.rotate_secret(session, settings, actor, partner_id))
    if isinstance(outcome, FinlifeError):
        raise outcome
    return _credentials_page(request, actor, outcome)


@router.get(PARTNER_CONSOLE.prefix + "/calls", response_class=HTMLResponse)
def call_log(
    request: Request, actor: Developer, starting_after: Annotated[str | None, Query(max_length=64)] = None
) -> HTMLResponse:
    params = PageParams(limit=PER_PAGE, starting_after=starting_after or None)
    with request.app.state.db.unit_of_work() as session:
        page = calls.list_calls(session, _own(session, actor).id, params)
    return render(
        request,
        "partners/registry/console_calls.html",
        calls=page.data,
        has_more=page.has_more,
        first_page=starting_after is None,
        retention=calls.retention_days(request.app.state.settings),
        when=local_time,
    )


@router.get(PARTNER_CONSOLE.prefix + "/docs", response_class=HTMLResponse)
def api_docs(request: Request, actor: Developer) -> HTMLResponse:
    return render(request, "partners/registry/console_docs.html", routes=partner_routes(request.app))
