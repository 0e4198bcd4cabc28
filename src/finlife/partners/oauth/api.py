"""The OAuth2 endpoints a partner's code calls: ``POST /oauth/token``, ``/oauth/revoke`` (RFC 7009)
and ``/oauth/introspect`` (RFC 7662). The client authenticates with HTTP Basic
(``client_secret_basic``); answers and errors are OAuth 2.0's JSON."""

from __future__ import annotations

from collections.abc import Callable

from authlib.oauth2.rfc6749 import OAuth2Error
from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from finlife.kit.auth import Access
from finlife.kit.db import Database
from finlife.partners.oauth.adapter import Incoming
from finlife.partners.oauth.schemas import (
    OAUTH_ERRORS,
    IntrospectionOut,
    OAuthTokenOut,
    RevocationOut,
    form_body,
)
from finlife.partners.oauth.server import INTROSPECTION, REVOCATION, OAuthServer
from finlife.settings import Settings

router = APIRouter(tags=["oauth"])

# Public to kit.auth and blind to bearer tokens: the client proves itself with HTTP Basic, which
# Authlib checks (invalid_client, 401).
CLIENT_AUTHENTICATED_BY_AUTHLIB = [Depends(Access.sign_in_route())]
TEXT = {"type": "string"}
TOKEN_HINT = {"type": "string", "enum": ["access_token", "refresh_token"]}

Answer = Callable[[OAuthServer, Incoming], Response]


def answer(database: Database, settings: Settings, incoming: Incoming, call: Answer) -> Response:
    """Run ``call`` on a server bound to a unit of work: what it records (tokens, a spent code, a
    revoked family) commits with the answer, refusals included."""
    with database.unit_of_work() as session:
        server = OAuthServer(session, settings)
        try:
            return call(server, incoming)
        except OAuth2Error as error:  # raised before Authlib's own handling (insecure_transport)
            response: Response = server.handle_error_response(None, error)
            return response


async def _run(request: Request, call: Answer) -> Response:
    incoming = await Incoming.read(request)
    return await run_in_threadpool(answer, request.app.state.db, request.app.state.settings, incoming, call)


@router.post(
    "/oauth/token",
    response_model=OAuthTokenOut,
    responses=OAUTH_ERRORS,
    dependencies=CLIENT_AUTHENTICATED_BY_AUTHLIB,
    summary="Tokens: client_credentials, authorization_code (with code_verifier), refresh_token",
    openapi_extra=form_body(
        ["grant_type"],
        {
            "grant_type": {
                "type": "string",
                "enum": ["client_credentials", "authorization_code", "refresh_token"],
            },
            "scope": TEXT,
            "code": TEXT,
            "redirect_uri": TEXT,
            "code_verifier": TEXT,
            "refresh_token": TEXT,
        },
    ),
)
async def token(request: Request) -> Response:
    return await _run(request, lambda server, incoming: server.create_token_response(incoming))


@router.post(
    "/oauth/revoke",
    response_model=RevocationOut,
    responses=OAUTH_ERRORS,
    dependencies=CLIENT_AUTHENTICATED_BY_AUTHLIB,
    summary="Revoke a token (RFC 7009); a refresh token takes its family with it",
    openapi_extra=form_body(["token"], {"token": TEXT, "token_type_hint": TOKEN_HINT}),
)
async def revoke(request: Request) -> Response:
    return await _run(request, lambda server, incoming: server.create_endpoint_response(REVOCATION, incoming))


@router.post(
    "/oauth/introspect",
    response_model=IntrospectionOut,
    responses=OAUTH_ERRORS,
    dependencies=CLIENT_AUTHENTICATED_BY_AUTHLIB,
    summary="Introspect one of your tokens (RFC 7662)",
    openapi_extra=form_body(["token"], {"token": TEXT, "token_type_hint": TOKEN_HINT}),
)
async def introspect(request: Request) -> Response:
    return await _run(
        request, lambda server, incoming: server.create_endpoint_response(INTROSPECTION, incoming)
    )
