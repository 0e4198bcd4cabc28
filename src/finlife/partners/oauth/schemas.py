"""The OAuth endpoints' answers as the OpenAPI document states them (RFC 6749 §5.1/§5.2, RFC 7662).

Their errors are OAuth 2.0's JSON (``{"error": "invalid_grant", ...}``), not problem+json: that is
the shape partners' OAuth libraries parse.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from finlife.kit.contract import own_error_shape


class OAuthError(BaseModel):
    """An OAuth 2.0 error (RFC 6749 §5.2)."""

    model_config = ConfigDict(title="OAuthError")

    error: str = Field(
        description="invalid_request, invalid_client, invalid_grant, unauthorized_client,"
        " unsupported_grant_type, invalid_scope, unsupported_token_type, insecure_transport"
    )
    error_description: str | None = None


class OAuthTokenOut(BaseModel):
    access_token: str = Field(description="Opaque (pat_…); send as 'Authorization: Bearer'")
    token_type: str = Field(description="Bearer")
    expires_in: int = Field(description="Seconds")
    scope: str
    refresh_token: str | None = Field(default=None, description="prt_…; rotates on every use")
    consent_id: str | None = Field(default=None, description="The consent the token acts under")


class IntrospectionOut(BaseModel):
    active: bool
    scope: str | None = None
    client_id: str | None = None
    token_type: str | None = None
    exp: int | None = None
    iat: int | None = None
    sub: str | None = Field(default=None, description="The customer under a consent, else the client id")
    consent_id: str | None = None


class RevocationOut(BaseModel):
    """Empty: revoking an unknown or already revoked token answers the same (RFC 7009 §2.2)."""


def form_body(required: list[str], properties: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An ``openapi_extra`` stating a form-encoded body (the endpoints read the form themselves)."""
    schema = {"type": "object", "required": required, "properties": properties}
    return {
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": schema}},
        }
    }


# What Authlib's grants and endpoints answer, per status (RFC 6749 §5.2, RFC 7009 §2.2.1).
OAUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    400: own_error_shape(
        OAuthError,
        "The request is refused (OAuth 2.0 error, application/json)",
        (
            "invalid_request",
            "invalid_grant",
            "invalid_scope",
            "unauthorized_client",
            "unsupported_grant_type",
            "insecure_transport",
        ),
    ),
    401: own_error_shape(
        OAuthError,
        "Client authentication failed; WWW-Authenticate names the Basic scheme (OAuth 2.0 error)",
        ("invalid_client", "unsupported_token_type"),
    ),
}
