"""finlife's OAuth2 authorization server: Authlib's ``AuthorizationServer`` bound to one request's
database session (a server is built per request: a few small objects), answering Starlette
responses. There is no FastAPI integration in Authlib; this and ``adapter`` are it."""

from __future__ import annotations

import json
from typing import Any

from authlib.oauth2.rfc6749 import AuthorizationServer, OAuth2Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from finlife.partners.oauth import scopes
from finlife.partners.oauth.adapter import Incoming, IncomingOAuth2Request
from finlife.partners.oauth.clients import PartnerClient, active_partner
from finlife.partners.oauth.endpoints import Introspection, Revocation
from finlife.partners.oauth.grants import (
    AuthorizationCodeWithConsent,
    ClientCredentials,
    RotatingRefreshToken,
    S256Challenge,
)
from finlife.settings import Settings

REVOCATION = Revocation.ENDPOINT_NAME
INTROSPECTION = Introspection.ENDPOINT_NAME


class OAuthServer(AuthorizationServer):  # type: ignore[misc]
    def __init__(self, session: Session, settings: Settings) -> None:
        super().__init__(scopes_supported=sorted(scopes.SUPPORTED))
        self.session = session
        self.settings = settings
        self.register_grant(ClientCredentials)
        self.register_grant(AuthorizationCodeWithConsent, [S256Challenge(required=True)])
        self.register_grant(RotatingRefreshToken)
        self.register_endpoint(Revocation)
        self.register_endpoint(Introspection)

    def query_client(self, client_id: str) -> PartnerClient | None:
        """Active partners only: a pending, rejected or suspended one is no client."""
        partner = active_partner(self.session, client_id)
        return PartnerClient(partner, self.session, self.settings) if partner is not None else None

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        """Nothing to do: ``grants.mint`` stored the tokens (hashed) when it issued them."""

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """finlife listens to none of Authlib's signals."""

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        assert isinstance(request, Incoming)
        return IncomingOAuth2Request(request)

    def handle_response(self, status: int, body: Any, headers: list[tuple[str, str]]) -> Response:
        content = json.dumps(body).encode() if isinstance(body, dict) else (body or "").encode()
        answer = Response(content=content, status_code=status)
        for name, value in headers:
            answer.headers[name] = value
        return answer
