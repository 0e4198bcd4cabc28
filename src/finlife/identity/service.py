"""Users and sign-in: argon2 passwords, throttled failures (identity.throttle), short-lived tokens
bound to the channel they were asked for (one the user's roles allow, ``kit.auth.ROLE_CHANNELS``)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity import throttle
from finlife.identity.models import User
from finlife.identity.schemas import TokenOut, UserOut
from finlife.kit.auth import Channel, Role, channels_for, issue_token
from finlife.kit.clock import clock
from finlife.kit.errors import (
    Conflict,
    FinlifeError,
    NotFound,
    RuleViolation,
    Unauthenticated,
)
from finlife.kit.ids import new_id
from finlife.settings import Settings

MIN_PASSWORD_LENGTH = 8


@lru_cache
def _hasher(fast: bool) -> PasswordHasher:
    # The fast profile exists for the test suite only (thousands of sign-ups); never in production.
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1) if fast else PasswordHasher()


def hash_secret(secret: str, settings: Settings) -> str:
    return _hasher(settings.fast_password_hashing).hash(secret)


def verify_secret(hashed: str, secret: str, settings: Settings) -> bool:
    try:
        return _hasher(settings.fast_password_hashing).verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


def _out(user: User) -> UserOut:
    return UserOut(
        id=user.public_id,
        username=user.username,
        roles=[Role(r) for r in user.roles],
        customer_id=user.customer_id,
    )


def create_user(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    roles: list[Role],
    customer_id: str | None = None,
) -> UserOut:
    """Create a login; the username is unique across the bank."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation("weak_password", field="password")
    taken = session.execute(select(User.id).where(User.username == username)).first()
    if taken:
        raise Conflict("username_taken", field="username")
    user = User(
        public_id=new_id("usr"),
        username=username,
        password_hash=hash_secret(password, settings),
        roles=sorted({r.value for r in roles}),
        customer_id=customer_id,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return _out(user)


class ChannelNotPermitted(FinlifeError):
    """The user's roles do not sign in on the channel asked for (e.g. a customer at ``branch``)."""

    code = "channel_not_permitted_for_user"
    status = 403

    def __init__(self, channels: Sequence[Channel]) -> None:
        super().__init__(params={"channel": ", ".join(c.value for c in channels)})


def sign_in(
    session: Session,
    settings: Settings,
    *,
    username: str,
    password: str,
    source: str,
    channels: Sequence[Channel] = (Channel.WEB,),
) -> TokenOut | FinlifeError:
    """Password grant from ``source`` (the client's address) for the first of ``channels`` the user's
    roles allow (``ChannelNotPermitted`` if none), throttled per source and per account (429
    ``sign_in_throttled`` with Retry-After; 423 ``sign_in_frozen`` once an account reached the
    failure cap, until its owner has it unlocked).

    A refusal is returned, not raised: the failures it records must be committed with it.
    """
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    throttles = throttle.load(session, settings, source=source, username=user.username if user else None)
    refused = throttle.refusal(throttles)
    if refused is not None:
        return refused
    if user is None or not verify_secret(user.password_hash, password, settings):
        throttle.record_failure(throttles, settings)
        session.flush()
        return Unauthenticated("invalid_credentials")
    throttle.record_success(throttles)
    session.flush()
    # After the password, like the channel: a stranger learns nothing about the login from it.
    if user.disabled_at is not None:
        return SignInDisabled()
    # After the password: a stranger learns nothing about a login's roles from this refusal.
    channel = _permitted_channel(user.roles, channels)
    if channel is None:
        return ChannelNotPermitted(channels)
    token = issue_token(
        secret=settings.secret_key,
        ttl_seconds=settings.token_ttl_seconds,
        user_id=user.public_id,
        username=user.username,
        roles=list(user.roles),
        customer_id=user.customer_id,
        channel=channel,
        session_generation=user.session_generation,
    )
    return TokenOut(access_token=token, expires_in=settings.token_ttl_seconds, channel=channel)


class SignInDisabled(FinlifeError):
    """The login was disabled by whoever manages it (a merchant's owner, for their cashier)."""

    code = "sign_in_disabled"
    status = 403


def set_sign_in_allowed(session: Session, user_id: str, *, allowed: bool) -> None:
    """Disable a login (it can no longer sign in) or enable it again; the caller manages the login.

    Tokens already issued carry on until they expire; the caller stops what they reach (a merchant
    no longer counts a disabled member as one of its people)."""
    stmt = select(User).where(User.public_id == user_id).with_for_update()
    user = session.execute(stmt).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    if allowed:
        user.disabled_at = None
    elif user.disabled_at is None:
        user.disabled_at = clock.now()
    session.flush()


def _permitted_channel(role_names: list[str], wanted: Sequence[Channel]) -> Channel | None:
    allowed = channels_for(Role(name) for name in role_names)
    return next((channel for channel in allowed if channel in wanted), None)


def unlock_sign_in(session: Session, settings: Settings, user_id: str) -> None:
    """Reopen a login frozen by failed sign-ins; the caller has verified its owner (see customers)."""
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    throttle.unlock(session, settings, user.username)
    session.flush()


def sign_in_frozen(session: Session, user_id: str) -> bool:
    """Whether the login is frozen by failed sign-ins (``throttle``), waiting for its owner's unlock."""
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    return user is not None and throttle.is_frozen(session, user.username)


def find_by_username(session: Session, username: str) -> UserOut | None:
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    return _out(user) if user is not None else None


def set_password(session: Session, settings: Settings, user_id: str, password: str) -> None:
    """A new password for a login whose owner the caller has verified (a code to their phone)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation("weak_password", field="new_password")
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    user.password_hash = hash_secret(password, settings)
    session.flush()


def get_user(session: Session, user_id: str) -> UserOut:
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    return _out(user)


def usernames(session: Session, user_ids: Iterable[str]) -> dict[str, str]:
    """The usernames of ``user_ids`` (the ones that exist), to name people on pages instead of ids."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    rows = session.execute(select(User.public_id, User.username).where(User.public_id.in_(wanted)))
    return {public_id: username for public_id, username in rows}


def add_role(session: Session, user_id: str, role: Role) -> UserOut:
    """Grant a role (kept once); tokens issued before carry the old roles until the next sign-in."""
    stmt = select(User).where(User.public_id == user_id).with_for_update()
    user = session.execute(stmt).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    if role.value not in user.roles:
        # A new list, so that the JSON column is seen as changed.
        user.roles = sorted({*user.roles, role.value})
        session.flush()
    return _out(user)


def find_by_customer(session: Session, customer_id: str) -> UserOut | None:
    user = session.execute(select(User).where(User.customer_id == customer_id)).scalars().first()
    return _out(user) if user else None


def ensure_admin(session: Session, settings: Settings) -> str | None:
    """Create the bank admin ``admin`` on first start; return a generated password to print once."""
    if session.execute(select(User.id).where(User.username == "admin")).first():
        return None
    generated = None if settings.admin_password else secrets.token_urlsafe(12)
    create_user(
        session,
        settings,
        username="admin",
        password=settings.admin_password or generated or "",
        roles=[Role.BANK_ADMIN],
    )
    return generated


def parse_roles(names: list[str]) -> list[Role]:
    try:
        return [Role(n) for n in names]
    except ValueError as exc:
        raise FinlifeError("validation_error", status=422, field="roles") from exc
