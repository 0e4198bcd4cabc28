"""Partners' OAuth2 authorization server, on Authlib's core (RFC 6749, 7636, 7009, 7662).

Client credentials for partner-level calls, the authorization code with PKCE (S256 only) for
customer data behind a consent screen in ``/app``, rotating refresh tokens, revocation and
introspection. Tokens are opaque and stored hashed (``partners.tokens``); every API call resolves
one from the database, so a revoked consent or a suspended partner stops it at once.
"""

from finlife.kit.i18n import register
from finlife.partners.oauth.messages import MESSAGES

register(MESSAGES)
