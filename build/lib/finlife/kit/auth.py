"""Who is calling, from which channel, and whether a route lets them in.

Every route declares an ``Access`` dependency (a test walks the route table to prove it). Tokens are
short-lived HS256 JWTs carrying the user's id, roles and customer id, so checking them costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

import jwt
from fastapi import Request

from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, Forbidden, Unauthenticated


class Role(StrEnum):
    CUSTOMER = "customer"
    MERCHANT_OWNER = "merchant_owner"
    CASHIER = "cashier"
    TELLER = "teller"
    BRANCH_MARKETING = "branch_marketing"
    HQ_MARKETING = "hq_marketing"
    BANK_ADMIN = "bank_admin"
    PARTNER = "partner"


BANK_STAFF = frozenset({Role.TELLER, Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN})


class Channel(StrEnum):
    MOBILE = "mobile"
    WEB = "web"
    BRANCH = "branch"
    ATM = "atm"
    POS = "pos"
    PARTNER = "partner"
    CALL_CENTRE = "call_centre"


DEFAULT_CHANNEL = Channel.WEB


@dataclass(frozen=True)
class Actor:
    """The caller of a service: a signed-in user (or nobody) on one channel."""

    channel: Channel
    user_id: str | None = None
    username: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    customer_id: str | None = None

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & BANK_STAFF)

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    def require(self, *roles: Role) -> None:
        if not self.has(*roles):
            raise Forbidden()

    @classmethod
    def system(cls, channel: Channel = Channel.WEB) -> Actor:
        """finlife itself (CLI, demo seeding, scheduled work), acting with the bank admin's rights."""
        return cls(channel=channel, user_id="system", username="system", roles=frozenset({Role.BANK_ADMIN}))


def issue_token(
    *,
    secret: str,
    ttl_seconds: int,
    user_id: str,
    username: str,
    roles: list[str],
    customer_id: str | None,
) -> str:
    now = clock.now()
    claims: dict[str, Any] = {
        "sub": user_id,
        "name": username,
        "roles": roles,
        "cus": customer_id,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_seconds)).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(token: str, *, secret: str, channel: Channel) -> Actor:
    """The actor a bearer token names; 401 if it is forged, malformed or expired.

    The signature check and decoding are cached per (token, key): the same bytes under the same key
    always decode to the same claims. The expiry is checked on every call, against finlife's clock.
    """
    user_id, username, roles, customer_id, expires = _verified_claims(token, secret)
    if expires <= int(clock.now().timestamp()):
        raise Unauthenticated()
    return Actor(channel=channel, user_id=user_id, username=username, roles=roles, customer_id=customer_id)


# Decoding a JWT (base64, JSON, HMAC) was ~6 % of a transfer's CPU; a client sends the same token for
# its whole life. Bounded, so a flood of distinct (valid) tokens only evicts older entries. Tokens
# that fail to verify raise and are not cached.
TOKEN_CACHE_SIZE = 4096


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _verified_claims(token: str, secret: str) -> tuple[str, str | None, frozenset[Role], str | None, int]:
    try:
        # Expiry is checked by read_token against finlife's clock (tests move time), not here.
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False})
    except jwt.PyJWTError as exc:
        raise Unauthenticated() from exc
    try:
        roles = frozenset(Role(r) for r in claims.get("roles", []))
        expires = int(claims.get("exp", 0))
        user_id = str(claims["sub"])
    except (ValueError, TypeError, KeyError) as exc:
        raise Unauthenticated() from exc
    return user_id, claims.get("name"), roles, claims.get("cus"), expires


def request_channel(request: Request) -> Channel:
    channel = getattr(request.state, "channel", None)
    return channel if isinstance(channel, Channel) else DEFAULT_CHANNEL


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return None


TOKEN_COOKIE = "finlife_token"  # noqa: S105 - a cookie name


class Access:
    """A route's declared audience: ``Access.public()`` or ``Access(Role.TELLER, …)``.

    ``Access.signed_in()`` admits any authenticated user; the service then scopes rows to them.
    """

    def __init__(
        self, *roles: Role, public: bool = False, any_user: bool = False, cookie: bool = False
    ) -> None:
        self.roles = frozenset(roles)
        self.public = public
        self.any_user = any_user
        self.cookie = cookie

    @classmethod
    def public_route(cls) -> Access:
        return cls(public=True)

    @classmethod
    def signed_in(cls, *, cookie: bool = False) -> Access:
        return cls(any_user=True, cookie=cookie)

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.any_user:
            return "any signed-in user"
        return ", ".join(sorted(self.roles))

    async def __call__(self, request: Request) -> Actor:
        channel = request_channel(request)
        token = bearer_token(request)
        if token is None and self.cookie:
            token = request.cookies.get(TOKEN_COOKIE)
        if token is None:
            if self.public:
                return Actor(channel=channel)
            raise Unauthenticated()
        try:
            actor = read_token(token, secret=request.app.state.settings.secret_key, channel=channel)
        except Unauthenticated:
            if self.public:  # a stale token does not stop anyone from a public page
                return Actor(channel=channel)
            raise
        if self.public or self.any_user or actor.has(*self.roles):
            request.state.actor = actor
            return actor
        raise Forbidden()


def require_channel(actor: Actor, *channels: Channel) -> None:
    if actor.channel not in channels:
        raise FinlifeError("channel_not_allowed", status=403, params={"channels": ", ".join(channels)})
