"""One-time codes sent to a person's registered phone (unlocking a frozen login, ``customers.self_unlock``).

A code is six random digits, kept only as a keyed HMAC (the secret key): a database reader cannot
use it. It lives ``one_time_code_ttl_seconds`` (at most five minutes), takes ``one_time_code_tries``
wrong guesses (then it is spent), and is used once. A new code for the same purpose and subject
replaces the one before, so only the latest message works. Every way a code can fail gives one
answer (``one_time_code_invalid``): a guesser learns nothing of why.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime, for_update
from finlife.kit.errors import RuleViolation
from finlife.settings import Settings

DIGITS = 6


class OneTimeCode(Base):
    __tablename__ = "one_time_codes"
    __table_args__ = (UniqueConstraint("purpose", "subject"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    purpose: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))  # whose code: a user's public id
    code_digest: Mapped[str] = mapped_column(String(64))
    tries_left: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OneTimeCodeInvalid(RuleViolation):
    """Wrong, expired, spent or never sent: one answer for all."""

    def __init__(self) -> None:
        super().__init__("one_time_code_invalid", field="code")


def _digest(settings: Settings, purpose: str, subject: str, code: str) -> str:
    message = f"one-time-code:{purpose}:{subject}:{code}".encode()
    return hmac.new(settings.secret_key.encode(), message, hashlib.sha256).hexdigest()


def issue(session: Session, settings: Settings, *, purpose: str, subject: str) -> str:
    """A new code for ``subject`` (replacing any earlier one of the purpose); the code, to send."""
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    values = {
        "code_digest": _digest(settings, purpose, subject, code),
        "tries_left": settings.one_time_code_tries,
        "expires_at": clock.now() + timedelta(seconds=min(settings.one_time_code_ttl_seconds, 300)),
        "used_at": None,
    }
    stmt = select(OneTimeCode).where(OneTimeCode.purpose == purpose, OneTimeCode.subject == subject)
    row = session.execute(for_update(stmt)).scalar_one_or_none()
    if row is None:
        session.add(OneTimeCode(purpose=purpose, subject=subject, **values))
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    return code


def use(session: Session, settings: Settings, *, purpose: str, subject: str | None, code: str) -> None:
    """Spend the code, or count a wrong try and raise ``OneTimeCodeInvalid``. The caller commits the
    try even when this raises (a unit of work of its own), or the tries would not be counted."""
    row = None
    if subject is not None:
        stmt = select(OneTimeCode).where(OneTimeCode.purpose == purpose, OneTimeCode.subject == subject)
        row = session.execute(for_update(stmt)).scalar_one_or_none()
    now = clock.now()
    if row is None or row.used_at is not None or row.expires_at <= now or row.tries_left <= 0:
        raise OneTimeCodeInvalid()
    if not hmac.compare_digest(row.code_digest, _digest(settings, purpose, subject or "", code)):
        row.tries_left -= 1
        session.flush()
        raise OneTimeCodeInvalid()
    row.used_at = now
    session.flush()
