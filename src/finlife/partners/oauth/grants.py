"""The three grants on Authlib's classes, minting finlife's opaque tokens (``partners.tokens``).

Authlib asks a grant for a token (``generate_token``) and then to save it; ``issue_tokens`` mints and
stores in one step, so minting happens in ``generate_token`` and the server's ``save_token`` has
nothing left to do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, InvalidScopeError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from sqlalchemy import select

from finlife.kit.clock import clock
from finlife.kit.ids import new_id
from finlife.partners.consents import service as consents
from finlife.partners.models import Consent
from finlife.partners.oauth import scopes
from finlife.partners.oauth.clients import SECRET_BASIC, PartnerClient
from finlife.partners.oauth.models import AuthorizationCode
from finlife.partners.oauth.stored import StoredToken
from finlife.partners.tokens import find_token, issue_tokens, revoke_family, token_hash

S256 = "S256"


def mint(
    grant: Any, *, consent: Consent | None, granted: list[str], family: str, refresh: bool
) -> dict[str, Any]:
    """Issue and store the tokens; a refresh token never outlives its consent."""
    client: PartnerClient = grant.request.client
    settings = client.settings
    refresh_ttl = None
    if refresh and consent is not None:
        left = int((consent.expires_at - clock.now()).total_seconds())
        refresh_ttl = min(settings.oauth_refresh_ttl_seconds, left)
    issued = issue_tokens(
        client.session,
        partner=client.partner,
        scopes=granted,
        access_ttl_seconds=settings.oauth_access_ttl_seconds,
        consent=consent,
        refresh_ttl_seconds=refresh_ttl,
        family=family,
    )
    token: dict[str, Any] = {
        "token_type": "Bearer",
        "access_token": issued.access_token,
        "expires_in": issued.expires_in,
        "scope": scopes.join(issued.scopes),
    }
    if issued.refresh_token is not None:
        token["refresh_token"] = issued.refresh_token
    if consent is not None:
        token["consent_id"] = consent.public_id
    return token


def _consent_of(client: PartnerClient, consent_pk: int | None) -> Consent:
    consent = consents.usable(client.session, consent_pk) if consent_pk is not None else None
    if consent is None:
        raise InvalidGrantError("The consent behind this grant is no longer authorised.")
    return consent


class S256Challenge(CodeChallenge):  # type: ignore[misc]
    """PKCE required of every client, with S256 only (FAPI 2.0): ``plain`` and a missing method
    are refused at the authorization endpoint, so every code carries an S256 challenge and the
    token endpoint always demands its verifier."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = [S256]
    DEFAULT_CODE_CHALLENGE_METHOD = S256

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError(
                "PKCE is required: send 'code_challenge' and code_challenge_method=S256."
            )
        if data.get("code_challenge_method") != S256:
            raise InvalidRequestError("Only code_challenge_method=S256 is accepted.")
        super().validate_code_challenge(grant, redirect_uri)


class ClientCredentials(grants.ClientCredentialsGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [SECRET_BASIC]

    def validate_token_request(self) -> None:
        super().validate_token_request()
        if self.request.client.partner_level_scopes(self.request.payload.scope) is None:
            raise InvalidScopeError("Customer scopes need a consent (authorization code grant).")

    def generate_token(self, user: Any = None, scope: str | None = None, **_: Any) -> dict[str, Any]:
        granted = self.request.client.partner_level_scopes(scope) or [scopes.PARTNER_SELF]
        return mint(self, consent=None, granted=granted, family=new_id("tkf"), refresh=False)


class AuthorizationCodeWithConsent(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    """Codes bound to the client, the redirect URI, the PKCE challenge and the consent; a code is
    spent the moment it is presented (whatever the outcome), and a spent code presented again
    revokes the tokens its first exchange issued."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [SECRET_BASIC]

    def save_authorization_code(self, code: str, request: Any) -> None:
        client: PartnerClient = request.client
        consent: Consent = request.user
        now = clock.now()
        client.session.add(
            AuthorizationCode(
                code_hash=token_hash(code),
                partner_pk=client.partner.id,
                consent_pk=consent.id,
                redirect_uri=request.payload.redirect_uri,
                scopes=list(consent.scopes),
                code_challenge=request.payload.data["code_challenge"],
                code_challenge_method=request.payload.data["code_challenge_method"],
                created_at=now,
                expires_at=now + timedelta(seconds=client.settings.oauth_code_ttl_seconds),
                used_at=None,
                family=None,
            )
        )
        client.session.flush()

    def query_authorization_code(self, code: str, client: PartnerClient) -> AuthorizationCode | None:
        found = client.session.execute(
            select(AuthorizationCode).where(
                AuthorizationCode.code_hash == token_hash(code),
                AuthorizationCode.partner_pk == client.partner.id,
            )
        ).scalar_one_or_none()
        if found is None:
            return None
        now = clock.now()
        if found.used_at is not None:
            if found.family is not None:
                revoke_family(client.session, found.family)
            return None
        found.used_at = now
        return found if found.expires_at > now else None

    def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
        """Kept, already marked used when it was presented: a second use must be recognised."""

    def authenticate_user(self, authorization_code: AuthorizationCode) -> Consent:
        return _consent_of(self.request.client, authorization_code.consent_pk)

    def generate_token(
        self, user: Any = None, scope: str | None = None, include_refresh_token: bool = True, **_: Any
    ) -> dict[str, Any]:
        family = new_id("tkf")
        self.request.authorization_code.family = family
        return mint(
            self, consent=user, granted=scopes.split(scope), family=family, refresh=include_refresh_token
        )


class RotatingRefreshToken(grants.RefreshTokenGrant):  # type: ignore[misc]
    """Each use gives a new refresh token in the same family and revokes the old one; a revoked
    refresh token presented again means it leaked: the whole family is revoked (OAuth 2.0 Security
    BCP §4.14.2)."""

    TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = [SECRET_BASIC]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> StoredToken | None:
        session = self.request.client.session
        row = find_token(session, refresh_token, "refresh")
        if row is None:
            return None
        if row.revoked_at is not None:
            revoke_family(session, row.family)
            return None
        return StoredToken(row, session) if row.expires_at > clock.now() else None

    def authenticate_user(self, refresh_token: StoredToken) -> Consent:
        return _consent_of(self.request.client, refresh_token.row.consent_pk)

    def revoke_old_credential(self, refresh_token: StoredToken) -> None:
        refresh_token.row.revoked_at = clock.now()

    def generate_token(
        self, user: Any = None, scope: str | None = None, include_refresh_token: bool = True, **_: Any
    ) -> dict[str, Any]:
        family = self.request.refresh_token.row.family
        return mint(
            self, consent=user, granted=scopes.split(scope), family=family, refresh=include_refresh_token
        )
