"""Operators' routes (``/metrics``): a bearer token from the settings, not a user's sign-in.

Prometheus scrapes with a static bearer token (``authorization: credentials:`` in its scrape config);
finlife compares it with ``FINLIFE_METRICS_TOKEN`` in constant time. Without that setting the route
is not served at all (404), so a node started without thinking about it exposes nothing.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from finlife.kit.auth import Access, Actor, anonymous_channel, bearer_token, claimed_channel
from finlife.kit.errors import NotFound, Unauthenticated


class OperatorAccess(Access):
    """Admits a request whose bearer token equals the setting named by ``setting`` (a str or None)."""

    def __init__(self, setting: str) -> None:
        super().__init__()
        self.setting = setting

    def describe(self) -> str:
        return f"operators (FINLIFE_{self.setting.upper()})"

    async def __call__(self, request: Request) -> Actor:
        expected: str | None = getattr(request.app.state.settings, self.setting)
        if not expected:
            raise NotFound("page")
        presented = bearer_token(request)
        if presented is None or not hmac.compare_digest(presented.encode(), expected.encode()):
            raise Unauthenticated()
        channel = anonymous_channel(claimed_channel(request))
        return Actor(channel=channel, user_id="operator", username="operator")
