"""The payment password: six digits a customer types to confirm a transfer above the threshold
(``transfer_password_threshold``), separate from the sign-in password and hashed like it (argon2,
``identity.service.hash_secret``). Setting the first one needs the sign-in password; changing it
needs the old one. ``payment_password_tries`` wrong tries in a row lock it for
``payment_password_lock_seconds``; a right one forgets them.

Wrong tries are *returned*, not raised, by ``check``: the caller commits the count with the refusal
(as sign-in does), so a refused transfer still counts against the guesser.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.identity.models import PaymentPassword, User
from finlife.identity.service import MIN_PASSWORD_LENGTH, hash_secret, verify_secret
from finlife.kit.clock import clock
from finlife.kit.db import for_update
from finlife.kit.errors import FinlifeError, Locked, NotFound, RuleViolation
from finlife.settings import Settings

DIGITS = 6
# Easy to watch over a shoulder or to guess first: refused as new payment passwords.
_RUNS = ("0123456789", "9876543210")


class PaymentPasswordWrong(FinlifeError):
    code = "payment_password_wrong"
    status = 422

    def __init__(self, tries_left: int, *, field: str = "payment_password") -> None:
        super().__init__(params={"tries_left": tries_left}, field=field, extra={"tries_left": tries_left})


def _locked(seconds: int) -> Locked:
    minutes = max(1, math.ceil(seconds / 60))
    return Locked("payment_password_locked", params={"minutes": minutes}, field="payment_password")


def _valid_new(password: str) -> str:
    if len(password) != DIGITS or not password.isascii() or not password.isdigit():
        raise RuleViolation("payment_password_format", field="new_password")
    if len(set(password)) == 1 or any(password in run for run in _RUNS):
        raise RuleViolation("payment_password_weak", field="new_password")
    return password


def _row(session: Session, user_id: str) -> PaymentPassword | None:
    stmt = select(PaymentPassword).where(PaymentPassword.user_id == user_id)
    return session.execute(for_update(stmt)).scalar_one_or_none()


def has_payment_password(session: Session, user_id: str) -> bool:
    found = session.execute(select(PaymentPassword.user_id).where(PaymentPassword.user_id == user_id)).first()
    return found is not None


def check(session: Session, settings: Settings, user_id: str, password: str) -> FinlifeError | None:
    """None when ``password`` is the login's payment password; else why not (422 wrong with the tries
    left, 423 locked, 422 ``payment_password_not_set``). The caller commits the count it recorded."""
    row = _row(session, user_id)
    if row is None:
        return RuleViolation("payment_password_not_set", field="payment_password")
    now = clock.now()
    if row.locked_until is not None and row.locked_until > now:
        return _locked(math.ceil((row.locked_until - now).total_seconds()))
    if verify_secret(row.password_hash, password, settings):
        row.failures, row.locked_until = 0, None
        session.flush()
        return None
    row.failures += 1
    left = settings.payment_password_tries - row.failures
    if left <= 0:
        row.failures = 0
        row.locked_until = now + timedelta(seconds=settings.payment_password_lock_seconds)
        session.flush()
        return _locked(settings.payment_password_lock_seconds)
    session.flush()
    return PaymentPasswordWrong(left)


def set_payment_password(
    session: Session,
    settings: Settings,
    user_id: str,
    *,
    new_password: str,
    old_password: str | None = None,
    sign_in_password: str | None = None,
) -> FinlifeError | None:
    """Set the first payment password (proved by the sign-in password) or change it (proved by the
    old one, which counts as a try). A refusal is returned when it recorded a try (commit it)."""
    _valid_new(new_password)
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    row = _row(session, user_id)
    now = clock.now()
    if row is None:
        if not sign_in_password or not verify_secret(user.password_hash, sign_in_password, settings):
            raise RuleViolation("sign_in_password_wrong", field="sign_in_password")
        session.add(
            PaymentPassword(
                user_id=user_id,
                password_hash=hash_secret(new_password, settings),
                failures=0,
                locked_until=None,
                updated_at=now,
            )
        )
        session.flush()
        return None
    refused = check(session, settings, user_id, old_password or "")
    if refused is not None:
        if isinstance(refused, PaymentPasswordWrong):
            refused.field = "old_password"
        return refused
    row.password_hash = hash_secret(new_password, settings)
    row.updated_at = now
    session.flush()
    return None


def change_sign_in_password(
    session: Session, settings: Settings, user_id: str, *, old_password: str, new_password: str
) -> None:
    """A new sign-in password, proved by the old one (422 ``sign_in_password_wrong``)."""
    user = session.execute(select(User).where(User.public_id == user_id)).scalar_one_or_none()
    if user is None:
        raise NotFound("user")
    if not verify_secret(user.password_hash, old_password, settings):
        raise RuleViolation("sign_in_password_wrong", field="old_password")
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation("weak_password", field="new_password")
    user.password_hash = hash_secret(new_password, settings)
    session.flush()
