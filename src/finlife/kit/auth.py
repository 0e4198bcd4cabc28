"""Who is calling, from which channel, and whether a route lets them in.

Every route declares an ``Access`` dependency (a test walks the route table to prove it). Tokens are
short-lived HS256 JWTs carrying the user's id, roles, customer id and the channel they were issued
for (and, for a device, its id), so checking them costs no query. The channel is the token's: a
request's ``X-Channel`` may only repeat it (``channel_mismatch`` otherwise), and a request without a
credential is attributed to ``web`` unless it names a public channel, so a header never grants
anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol

import jwt
from fastapi import Request
from starlette.concurrency import run_in_threadpool

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
    AGENT = "agent"  # the service centre's agent: serves customers over the phone


BANK_STAFF = frozenset({Role.TELLER, Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN, Role.AGENT})


class Channel(StrEnum):
    MOBILE = "mobile"
    WEB = "web"
    BRANCH = "branch"
    ATM = "atm"
    POS = "pos"
    PARTNER = "partner"
    CALL_CENTRE = "call_centre"


DEFAULT_CHANNEL = Channel.WEB
# The channels a request without a credential may be attributed to (what it says, if one of these).
PUBLIC_CHANNELS = frozenset({Channel.WEB, Channel.MOBILE})

# The channels each role may sign in on with a password, the one it prefers first (a web app's
# sign-in takes the first its shell accepts). A user may use the channels of all their roles.
# ``atm`` is a device's alone; ``partner`` waits for partners' OAuth. The interbank gateway's
# service login (role ``partner``) signs in on ``web`` until then.
ROLE_CHANNELS: dict[Role, tuple[Channel, ...]] = {
    Role.CUSTOMER: (Channel.MOBILE, Channel.WEB),
    Role.MERCHANT_OWNER: (Channel.WEB, Channel.POS),
    Role.CASHIER: (Channel.POS, Channel.WEB),
    Role.TELLER: (Channel.BRANCH, Channel.CALL_CENTRE, Channel.WEB),
    Role.BANK_ADMIN: (Channel.BRANCH, Channel.CALL_CENTRE, Channel.WEB),
    Role.BRANCH_MARKETING: (Channel.WEB,),
    Role.HQ_MARKETING: (Channel.WEB,),
    Role.PARTNER: (Channel.WEB,),
    # An agent works only on the service centre's line: nothing at the counter, nothing on plain web.
    Role.AGENT: (Channel.CALL_CENTRE,),
}


def channels_for(roles: Iterable[Role]) -> tuple[Channel, ...]:
    """The channels these roles may sign in on, in preference order (roles in the enum's order)."""
    held = set(roles)
    ordered: list[Channel] = []
    for role in Role:
        if role in held:
            ordered.extend(c for c in ROLE_CHANNELS[role] if c not in ordered)
    return tuple(ordered)


def parse_channel(raw: str | None) -> Channel | None:
    """``X-Channel``'s value as a channel; None when absent; ``invalid_channel`` (400) when unknown."""
    if raw is None or not raw.strip():
        return None
    try:
        return Channel(raw.strip().lower())
    except ValueError:
        raise FinlifeError(
            "invalid_channel", status=400, params={"channel": raw}, field="X-Channel"
        ) from None


class ChannelMismatch(FinlifeError):
    """The request claims another channel than the one its credential was issued for."""

    code = "channel_mismatch"
    status = 403

    def __init__(self, claimed: Channel, bound: Channel) -> None:
        super().__init__(params={"claimed": claimed.value, "bound": bound.value}, field="X-Channel")
        self.bound = bound


@dataclass(frozen=True, slots=True)
class PartnerGrant:
    """What a partner's access token lets it do, read from the database on every request (so that a
    revoked consent or a suspended partner stops the token at once).

    A client-credentials token has no consent and no customer: it reaches the partner's own data. A
    token issued under a customer's consent reaches that customer's ``account_ids`` only, with the
    consent's ``scopes``.
    """

    partner_id: str
    client_id: str
    scopes: frozenset[str]
    consent_id: str | None = None
    # The consenting customer. Deliberately not the actor's ``customer_id``: a route that reads "the
    # caller's own" rows must not hand a partner every account of the customer, only ``account_ids``.
    customer_id: str | None = None
    account_ids: frozenset[str] = frozenset()
    # When the consent was authorised: a statement read under it starts there (the consent's dates).
    valid_from: datetime | None = None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


@dataclass(frozen=True)
class Actor:
    """The caller of a service: a signed-in user (or nobody) on one channel."""

    channel: Channel
    user_id: str | None = None
    username: str | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    customer_id: str | None = None
    device_id: str | None = None  # set for a device (an ATM) acting with its own credential
    grant: PartnerGrant | None = None  # set for a partner acting with an OAuth2 access token
    # The login's session generation the token was issued in ("sign out everywhere" moves it on).
    session_generation: int = 0

    @property
    def partner_id(self) -> str | None:
        return self.grant.partner_id if self.grant is not None else None

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
    channel: Channel,
    device_id: str | None = None,
    session_generation: int = 0,
) -> str:
    """A token for ``channel``; only a device's token (``device_id``) may be for ``atm``.
    ``session_generation`` is the login's when the token is issued: a later "sign out everywhere"
    moves the login's on, and every token of an older one stops working (``SessionGenerations``)."""
    if (channel is Channel.ATM) != (device_id is not None):
        raise ValueError("a token for the atm channel is a device's, and a device's is for atm")
    now = clock.now()
    claims: dict[str, Any] = {
        "sub": user_id,
        "name": username,
        "roles": roles,
        "cus": customer_id,
        "chn": channel.value,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_seconds)).timestamp()),
    }
    if device_id is not None:
        claims["dev"] = device_id
    if session_generation:
        claims["gen"] = session_generation
    return jwt.encode(claims, secret, algorithm="HS256")


def read_token(token: str, *, secret: str, channel: Channel | None = None) -> Actor:
    """The actor a bearer token names, on the channel the token was issued for; 401 if it is forged,
    malformed or expired. ``channel`` is what the request claims (``X-Channel``): absent or equal to
    the token's, else ``channel_mismatch`` (403).

    The signature check and decoding are cached per (token, key): the same bytes under the same key
    always decode to the same claims. The expiry is checked on every call, against finlife's clock.
    """
    user_id, username, roles, customer_id, expires, bound, device_id, generation = _verified_claims(
        token, secret
    )
    if expires <= int(clock.now().timestamp()):
        raise Unauthenticated()
    if channel is not None and channel is not bound:
        raise ChannelMismatch(channel, bound)
    return Actor(
        channel=bound,
        user_id=user_id,
        username=username,
        roles=roles,
        customer_id=customer_id,
        device_id=device_id,
        session_generation=generation,
    )


# Decoding a JWT (base64, JSON, HMAC) was ~6 % of a transfer's CPU; a client sends the same token for
# its whole life. Bounded, so a flood of distinct (valid) tokens only evicts older entries. Tokens
# that fail to verify raise and are not cached.
TOKEN_CACHE_SIZE = 4096


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def _verified_claims(
    token: str, secret: str
) -> tuple[str, str | None, frozenset[Role], str | None, int, Channel, str | None, int]:
    try:
        # Expiry is checked by read_token against finlife's clock (tests move time), not here.
        claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False})
    except jwt.PyJWTError as exc:
        raise Unauthenticated() from exc
    try:
        roles = frozenset(Role(r) for r in claims.get("roles", []))
        expires = int(claims.get("exp", 0))
        user_id = str(claims["sub"])
        # A token without a channel (issued before channels were bound) is no longer valid.
        channel = Channel(claims["chn"])
        device_id = claims.get("dev")
        generation = int(claims.get("gen", 0))
    except (ValueError, TypeError, KeyError) as exc:
        raise Unauthenticated() from exc
    if (channel is Channel.ATM) != (device_id is not None):
        raise Unauthenticated()
    return user_id, claims.get("name"), roles, claims.get("cus"), expires, channel, device_id, generation


def claimed_channel(request: Request) -> Channel | None:
    """The channel the request says it comes from (``X-Channel``), None when it says nothing.

    Read by the request-context middleware (``kit.middleware``); parsed here when it did not run.
    """
    claimed = getattr(request.state, "claimed_channel", _UNREAD)
    if claimed is _UNREAD:
        return parse_channel(request.headers.get("x-channel"))
    return claimed if isinstance(claimed, Channel) else None


_UNREAD = object()


def anonymous_channel(claimed: Channel | None) -> Channel:
    """Where a request without a credential is attributed: what it claims if that is a public
    channel, else ``web``. Nothing branch-, ATM- or staff-only trusts it."""
    return claimed if claimed in PUBLIC_CHANNELS else DEFAULT_CHANNEL


def client_address(request: Request) -> str:
    """The address the request came from (behind a proxy, uvicorn's --forwarded-allow-ips sets it
    from X-Forwarded-For), for throttling by source."""
    return request.client.host if request.client is not None else "unknown"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return None


TOKEN_COOKIE = "finlife_token"  # noqa: S105 - a cookie name

# Partners' OAuth2 access tokens are opaque (``pat_…``) and looked up in the database on every request
# by the resolver the partners module puts on the app (``app.state.partner_tokens``): the kit knows no
# partner, and a database lookup is what lets a revoked consent stop its tokens at once.
PARTNER_TOKEN_PREFIX = "pat_"  # noqa: S105 - a token prefix
PartnerTokenResolver = Callable[[str], Actor]


class SessionGenerations(Protocol):
    """Whether a token's session generation is its login's current one (identity puts one on
    ``app.state.session_generations``; the kit knows no users). ``current`` answers without a query
    (None: it cannot tell); ``check`` may ask the database."""

    def current(self, user_id: str, generation: int) -> bool | None: ...

    def check(self, user_id: str, generation: int) -> bool: ...


async def _session_is_current(request: Request, actor: Actor) -> bool:
    """Whether the token's login was not signed out everywhere since it was issued. The hot path's
    usual case costs a dict lookup; otherwise a query or two in a worker thread."""
    sessions: SessionGenerations | None = getattr(request.app.state, "session_generations", None)
    if sessions is None or actor.user_id is None or actor.device_id is not None:
        return True
    verdict = sessions.current(actor.user_id, actor.session_generation)
    if verdict is None:
        verdict = await run_in_threadpool(sessions.check, actor.user_id, actor.session_generation)
    return verdict


class InsufficientScope(FinlifeError):
    """A partner's token lacks the scope (or the consent) this route needs (RFC 6750's name)."""

    code = "insufficient_scope"
    status = 403

    def __init__(self, scopes: Iterable[str]) -> None:
        super().__init__(params={"scopes": " ".join(sorted(scopes))})


class Access:
    """A route's declared audience: ``Access.public()`` or ``Access(Role.TELLER, …)``.

    ``Access.signed_in()`` admits any authenticated user; the service then scopes rows to them.
    ``Access.device()`` admits devices (ATMs) with their own credential, and nobody else; a
    device's token is refused on every other route that is not public.
    The actor's channel is the one its token was issued for (``read_token``); the request's
    attribution (``request.state.channel``, which the metrics label) follows it.
    """

    def __init__(
        self,
        *roles: Role,
        public: bool = False,
        any_user: bool = False,
        cookie: bool = False,
        devices: bool = False,
        credentials: bool = True,
        scopes: Iterable[str] = (),
    ) -> None:
        self.roles = frozenset(roles)
        # A partner's token is admitted when it holds one of these scopes; routes without scopes
        # refuse every partner token (the service then scopes rows to the token's consent).
        self.scopes = frozenset(scopes)
        self.public = public
        self.any_user = any_user
        self.cookie = cookie
        self.devices = devices
        self.credentials = credentials  # False: the route ignores any token sent (sign-in itself)

    @classmethod
    def public_route(cls) -> Access:
        return cls(public=True)

    @classmethod
    def signed_in(cls, *, cookie: bool = False) -> Access:
        return cls(any_user=True, cookie=cookie)

    @classmethod
    def device(cls) -> Access:
        return cls(devices=True)

    @classmethod
    def sign_in_route(cls) -> Access:
        """Public, and blind to tokens: asking for a token needs none, and an old one says nothing."""
        return cls(public=True, credentials=False)

    def describe(self) -> str:
        if self.public:
            return "public"
        if self.any_user:
            return "any signed-in user"
        if self.devices:
            return "devices (ATMs)"
        people = ", ".join(sorted(self.roles))
        if self.scopes:
            partners = "partners with " + " or ".join(sorted(self.scopes))
            return f"{people}; {partners}" if people else partners
        return people

    def admits_session(self, actor: Actor) -> bool:
        """Whether this route takes a credential bound to ``actor``'s channel (pages narrow it)."""
        return True

    def visitor_channel(self, claimed: Channel | None) -> Channel:
        """The channel of a visitor without a (usable) credential."""
        return anonymous_channel(claimed)

    def _visitor(self, request: Request, claimed: Channel | None) -> Actor:
        channel = self.visitor_channel(claimed)
        request.state.channel = channel
        return Actor(channel=channel)

    async def __call__(self, request: Request) -> Actor:
        claimed = claimed_channel(request)
        token = bearer_token(request) if self.credentials else None
        if token is None and self.cookie:
            token = request.cookies.get(TOKEN_COOKIE)
        if token is None:
            if self.public:
                return self._visitor(request, claimed)
            raise Unauthenticated()
        if token.startswith(PARTNER_TOKEN_PREFIX):
            return await self._partner(request, token, claimed)
        try:
            actor = read_token(token, secret=request.app.state.settings.secret_key, channel=claimed)
            if not self.admits_session(actor) or not await _session_is_current(request, actor):
                raise Unauthenticated()
        except ChannelMismatch as mismatch:
            request.state.channel = mismatch.bound  # the refusal is counted on the credential's channel
            raise
        except Unauthenticated:
            if self.public:  # a stale token does not stop anyone from a public page
                return self._visitor(request, claimed)
            raise
        request.state.channel = actor.channel
        if actor.device_id is not None:
            admitted = self.devices or self.public
        else:
            admitted = self.public or self.any_user or actor.has(*self.roles)
        if admitted:
            request.state.actor = actor
            return actor
        request.state.refused_actor = actor  # who was refused: their error page leads them home
        raise Forbidden()

    async def _partner(self, request: Request, token: str, claimed: Channel | None) -> Actor:
        """A partner's access token: valid, on the partner channel, and holding one of our scopes."""
        resolver: PartnerTokenResolver | None = getattr(request.app.state, "partner_tokens", None)
        if resolver is None:
            raise Unauthenticated()
        try:
            actor = await run_in_threadpool(resolver, token)
            if not self.admits_session(actor):  # a page of another shell: no session there
                raise Unauthenticated()
        except Unauthenticated:
            if self.public:
                return self._visitor(request, claimed)
            raise
        request.state.channel = actor.channel
        # The partner is known from here on, admitted or not: its call log counts refusals too.
        request.state.grant = actor.grant
        if claimed is not None and claimed is not actor.channel:
            raise ChannelMismatch(claimed, actor.channel)
        grant = actor.grant
        if self.public or (grant is not None and grant.scopes & self.scopes):
            request.state.actor = actor
            return actor
        if self.scopes:
            raise InsufficientScope(self.scopes)
        raise Unauthenticated()  # a route for people only: a partner's credential is not one here


def require_channel(actor: Actor, *channels: Channel) -> None:
    if actor.channel not in channels:
        raise FinlifeError("channel_not_allowed", status=403, params={"channels": ", ".join(channels)})
