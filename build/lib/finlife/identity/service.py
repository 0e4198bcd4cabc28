"""Users and sign-in: argon2 passwords, lockout after repeated failures, short-lived tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity.models import User
from finlife.identity.schemas import TokenOut, UserOut
from finlife.kit.auth import Role, issue_token
from finlife.kit.clock import clock
from finlife.kit.errors import (
    Conflict,
    FinlifeError,
    Locked,
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
        failed_logins=0,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return _out(user)


def sign_in(session: Session, settings: Settings, *, username: str, password: str) -> TokenOut | FinlifeError:
    """Password grant. Five failures in a row lock the login for fifteen minutes (both configurable).

    A refusal is returned, not raised: the failure count it records must be committed with it.
    """
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    now = clock.now()
    if user is None:
        return Unauthenticated("invalid_credentials")
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return Locked("account_locked", params={"minutes": minutes})
    if not verify_secret(user.password_hash, password, settings):
        user.failed_logins += 1
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = now + timedelta(seconds=settings.login_lock_seconds)
            user.failed_logins = 0
        session.flush()
        return Unauthenticated("invalid_credentials")
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    token = issue_token(
        secret=settings.secret_key,
        ttl_seconds=settings.token_ttl_seconds,
        user_id=user.public_id,
        username=user.username,
        roles=list(user.roles),
        customer_id=user.customer_id,
    )
    return TokenOut(access_token=token, expires_in=settings.token_ttl_seconds)


def get_user(session: Session, user_id: str) -> UserOut:
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    return _out(user)


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
