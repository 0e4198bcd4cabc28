"""Token revocation (RFC 7009) and introspection (RFC 7662) on Authlib's endpoints: a partner
authenticates with HTTP Basic and reaches its own tokens only."""

from __future__ import annotations

from typing import Any, ClassVar

from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7662 import IntrospectionEndpoint

from finlife.kit.clock import clock
from finlife.partners.oauth.clients import SECRET_BASIC
from finlife.partners.oauth.stored import StoredToken, lookup
from finlife.partners.tokens import revoke_family


class Revocation(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS: ClassVar[list[str]] = [SECRET_BASIC]

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        return lookup(self.server.session, token_string, token_type_hint)

    def revoke_token(self, token: StoredToken, request: Any) -> None:
        """An access token alone; a refresh token with its whole family (the access tokens it gave)."""
        if token.row.kind == "refresh":
            revoke_family(self.server.session, token.row.family)
        elif token.row.revoked_at is None:
            token.row.revoked_at = clock.now()


class Introspection(IntrospectionEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS: ClassVar[list[str]] = [SECRET_BASIC]

    def query_token(self, token_string: str, token_type_hint: str | None) -> StoredToken | None:
        return lookup(self.server.session, token_string, token_type_hint)

    def check_permission(self, token: StoredToken, client: Any, request: Any) -> bool:
        """Another partner's token is answered as inactive, as an unknown one is."""
        return token.check_client(client)

    def introspect_token(self, token: StoredToken) -> dict[str, Any]:
        return token.introspection()
