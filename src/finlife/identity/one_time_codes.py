"""One-time codes sent by text message: 6 digits, kept only as an argon2 hash, valid for five
minutes, at most five attempts, good once.

``check_code`` raises its refusals after recording the attempt: the caller commits that record
before answering (as sign-in does), or a guesser would get every attempt back.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from finlife.identity.messages import MESSAGES
from finlife.identity.service import hash_secret
from finlife.identity.sms import sms_sender
from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import register
from finlife.kit.ids import new_id
from finlife.settings import Settings

CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5
_TEXT = "【finlife】验证码 {code}，{minutes} 分钟内有效，请勿告诉他人。Your finlife code is {code}."

register(MESSAGES)


class OneTimeCode(Base):
    __tablename__ = "one_time_codes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # otc_…: the challenge id
    purpose: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(255))
    tries_left: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CodeRefused(FinlifeError):
    """Any refusal of a code: the attempt it records must be committed before it is answered."""


class CodeUnknown(CodeRefused):
    code = "one_time_code_unknown"
    status = 404


class CodeExpired(CodeRefused):
    code = "one_time_code_expired"
    status = 422

    def __init__(self) -> None:
        super().__init__(field="code")


class CodeWrong(CodeRefused):
    code = "one_time_code_wrong"
    status = 422

    def __init__(self, tries_left: int) -> None:
        super().__init__(params={"tries_left": tries_left}, field="code", extra={"tries_left": tries_left})


class CodeUsedUp(CodeRefused):
    """Used once already, or every attempt spent: a new code must be asked for."""

    code = "one_time_code_used_up"
    status = 422

    def __init__(self) -> None:
        super().__init__(field="code")


def send_code(session: Session, settings: Settings, *, phone: str, purpose: str) -> str:
    """Make a code for ``phone`` and text it; the challenge id to check it with later."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = clock.now()
    challenge = OneTimeCode(
        public_id=new_id("otc"),
        purpose=purpose,
        phone=phone,
        code_hash=hash_secret(code, settings),
        tries_left=MAX_TRIES,
        created_at=now,
        expires_at=now + CODE_TTL,
        used_at=None,
    )
    session.add(challenge)
    session.flush()
    minutes = int(CODE_TTL.total_seconds() // 60)
    sms_sender().send(session, phone=phone, purpose=purpose, text=_TEXT.format(code=code, minutes=minutes))
    return challenge.public_id


def _matches(code_hash: str, code: str) -> bool:
    # The hash names its own parameters, so any argon2 profile verifies here.
    try:
        return PasswordHasher().verify(code_hash, code)
    except (VerificationError, InvalidHashError):
        return False


def check_code(session: Session, *, challenge_id: str, code: str, purpose: str) -> str:
    """The phone the code was sent to, if ``code`` is right; the challenge is then used up.

    The row is locked, so two attempts at once each spend one try and only one can succeed."""
    challenge = session.execute(
        select(OneTimeCode).where(OneTimeCode.public_id == challenge_id).with_for_update()
    ).scalar_one_or_none()
    if challenge is None or challenge.purpose != purpose:
        raise CodeUnknown()
    if challenge.used_at is not None or challenge.tries_left <= 0:
        raise CodeUsedUp()
    if challenge.expires_at <= clock.now():
        raise CodeExpired()
    challenge.tries_left -= 1
    if not _matches(challenge.code_hash, code.strip()):
        session.flush()
        raise CodeWrong(challenge.tries_left)
    challenge.used_at = clock.now()
    session.flush()
    return challenge.phone
