"""Cross-site request forgery protection for cookie-signed-in forms.

The session cookie is SameSite=Lax, so browsers do not send it on cross-site POSTs; as a second
line every form carries ``csrf_token`` = HMAC(secret, seed | form action). The seed is the session
token, or before sign-in a random per-browser cookie, so a token is useless in another session and
for another form. Nothing is stored server-side.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Form, Request, Response

from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.errors import FinlifeError

SEED_COOKIE = "finlife_csrf"
FIELD = "csrf_token"


class CsrfRejected(FinlifeError):
    code = "ui.csrf_failed"
    status = 403


def _seed(request: Request) -> str:
    seed = request.cookies.get(TOKEN_COOKIE) or request.cookies.get(SEED_COOKIE)
    if seed:
        return seed
    # First visit: mint a seed now; render() sends it back as a cookie with the page.
    fresh: str | None = getattr(request.state, "csrf_new_seed", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(24)
        request.state.csrf_new_seed = fresh
    return fresh


def token_for(request: Request, action: str) -> str:
    """The token a form posting to ``action`` (a path) must carry in this browser session."""
    secret = request.app.state.settings.secret_key.encode()
    message = f"{_seed(request)}|{action}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def remember_new_seed(request: Request, response: Response) -> None:
    fresh = getattr(request.state, "csrf_new_seed", None)
    if fresh:
        response.set_cookie(SEED_COOKIE, fresh, path="/", httponly=True, samesite="lax")


async def verify_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Page dependency for every form POST: the token must match this session and this path."""
    expected = token_for(request, request.url.path)
    if not csrf_token or not hmac.compare_digest(expected, csrf_token):
        raise CsrfRejected()
