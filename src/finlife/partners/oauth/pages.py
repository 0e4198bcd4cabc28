"""The authorization endpoint: ``GET /oauth/authorize`` shows the signed-in customer (``/app``'s
session; a visitor is sent to its sign-in and back) the consent screen; ``POST`` records the answer
and sends the browser back to the partner with a code, or with ``error=access_denied``.

Beside the standard parameters, finlife reads ``expires_in_days`` (1 to 90, default 90) and, for
``payments:write``, ``daily_payment_limit`` (fen). An error Authlib can send back to a verified
redirect URI goes there (RFC 6749 §4.1.2.1); any other (an unknown client, a redirect URI not
registered) is shown to the customer, never redirected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from authlib.oauth2.rfc6749 import InvalidRequestError, OAuth2Error
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountOut, AccountStatus
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, Forbidden
from finlife.partners.consents import service as consents
from finlife.partners.models import Consent
from finlife.partners.oauth import scopes
from finlife.partners.oauth.adapter import Incoming
from finlife.partners.oauth.server import OAuthServer
from finlife.settings import Settings
from finlife.web.csrf import verify_csrf
from finlife.web.forms import local_time
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
AUTHORIZE = "/oauth/authorize"
APPROVE = "approve"


@dataclass(frozen=True)
class Period:
    days: int
    daily_payment_limit: int | None


def period_of(grant: Any, settings: Settings) -> Period:
    data = grant.request.payload.data
    days = data.get("expires_in_days") or str(settings.consent_max_days)
    limit = data.get("daily_payment_limit")
    where = {"redirect_uri": grant.request.payload.redirect_uri, "state": grant.request.payload.state}
    if not days.isdigit() or not 1 <= int(days) <= settings.consent_max_days:
        raise InvalidRequestError(f"expires_in_days must be 1 to {settings.consent_max_days}.", **where)
    if limit is not None and not limit.isdigit():
        raise InvalidRequestError("daily_payment_limit must be a whole number of fen.", **where)
    return Period(int(days), int(limit) if limit is not None else None)


def _refused(server: OAuthServer, error: OAuth2Error) -> Response:
    if error.redirect_uri:
        response: Response = server.handle_error_response(None, error)
        return response
    reason = error.get_error_description() or error.error
    raise FinlifeError("oauth_request_refused", status=400, params={"reason": reason})


def _shareable(session: Session, settings: Settings, actor: Actor, customer_id: str) -> list[AccountOut]:
    owned = accounts.list_customer_accounts(session, settings, actor, customer_id).data
    return [account for account in owned if account.status is AccountStatus.ACTIVE]


def _screen(
    request: Request,
    session: Session,
    actor: Actor,
    grant: Any,
    consent: Consent,
    period: Period,
    **extra: Any,
) -> Response:
    settings: Settings = request.app.state.settings
    assert actor.customer_id is not None
    asked = list(consent.scopes)
    return render(
        request,
        "partners/oauth/consent.html",
        status_code=extra.pop("status_code", 200),
        partner=grant.request.client.partner.name,
        consent_id=consent.public_id,
        scopes=asked,
        needs_accounts=bool(set(asked) & consents.ACCOUNT_SCOPES),
        accounts=_shareable(session, settings, actor, actor.customer_id),
        until=local_time(clock.now() + timedelta(days=period.days)),
        period=period,
        pays="payments:write" in asked,
        action=f"{AUTHORIZE}?{request.url.query}",
        **extra,
    )


def _consent_screen(request: Request, actor: Actor, incoming: Incoming) -> Response:
    if actor.customer_id is None:
        raise Forbidden()
    with request.app.state.db.unit_of_work() as session:
        server = OAuthServer(session, request.app.state.settings)
        try:
            grant = server.get_consent_grant(incoming, end_user=None)
            period = period_of(grant, server.settings)
        except OAuth2Error as error:
            return _refused(server, error)
        consent = consents.open_consent(
            session,
            partner_pk=grant.request.client.partner.id,
            customer_id=actor.customer_id,
            scopes=scopes.split(grant.request.scope),
            channel=actor.channel.value,
            days=period.days,
            daily_payment_limit=period.daily_payment_limit,
        )
        return _screen(request, session, actor, grant, consent, period)


def _decide(
    request: Request, actor: Actor, incoming: Incoming, consent_id: str, decision: str, chosen: list[str]
) -> Response:
    if actor.customer_id is None:
        raise Forbidden()
    with request.app.state.db.unit_of_work() as session:
        server = OAuthServer(session, request.app.state.settings)
        try:
            grant = server.get_consent_grant(incoming, end_user=None)
            period = period_of(grant, server.settings)
        except OAuth2Error as error:
            return _refused(server, error)
        partner_pk = grant.request.client.partner.id
        consent = consents.awaiting(session, consent_id, customer_id=actor.customer_id, partner_pk=partner_pk)
        if decision != APPROVE:
            consents.reject(session, actor, consent)
            refused: Response = server.create_authorization_response(incoming, grant_user=None, grant=grant)
            return refused
        problem = _choice_problem(session, request.app.state.settings, actor, consent, chosen)
        if problem is not None:
            errors = {"account_ids": problem.message(language_of(request))}
            return _screen(request, session, actor, grant, consent, period, errors=errors, status_code=422)
        consents.authorise(session, actor, consent, account_ids=chosen, days=period.days)
        approved: Response = server.create_authorization_response(incoming, grant_user=consent, grant=grant)
        return approved


def _choice_problem(
    session: Session, settings: Settings, actor: Actor, consent: Consent, chosen: list[str]
) -> FinlifeError | None:
    """The accounts chosen must be the customer's own active ones, and some when the scopes read or
    pay from accounts."""
    assert actor.customer_id is not None
    if not set(consent.scopes) & consents.ACCOUNT_SCOPES:
        return None if not chosen else FinlifeError("consent_account_not_yours", status=422)
    if not chosen:
        return FinlifeError("consent_accounts_required", status=422)
    own = {account.id for account in _shareable(session, settings, actor, actor.customer_id)}
    return None if set(chosen) <= own else FinlifeError("consent_account_not_yours", status=422)


@router.get(AUTHORIZE, response_class=HTMLResponse)
async def authorize(request: Request, actor: Customer) -> Response:
    incoming = await Incoming.read(request)
    return await run_in_threadpool(_consent_screen, request, actor, incoming)


@router.post(AUTHORIZE, dependencies=[Depends(verify_csrf)])
async def decide(
    request: Request,
    actor: Customer,
    consent_id: Annotated[str, Form()] = "",
    decision: Annotated[str, Form()] = "",
    account_ids: Annotated[list[str] | None, Form()] = None,
) -> Response:
    incoming = await Incoming.read(request)
    chosen = sorted(set(account_ids or []))
    return await run_in_threadpool(_decide, request, actor, incoming, consent_id, decision, chosen)
