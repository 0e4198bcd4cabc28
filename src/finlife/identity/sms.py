"""Text messages to people's phones. A bank sends them through its SMS gateway; finlife speaks to it
through ``SmsSender``. The default sender keeps each message in ``sms_messages``, so that the demo and
the tests can read what a person would have received (the gateway is the integration point)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import String
from sqlalchemy.orm import Mapped, Session, mapped_column

from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime


class SmsMessage(Base):
    """One message as the recording sender kept it."""

    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsSender(Protocol):
    def send(self, session: Session, *, phone: str, purpose: str, text: str) -> None:
        """Hand ``text`` to the gateway for ``phone``, in the caller's transaction where it can."""


class RecordingSmsSender:
    """Writes the message to ``sms_messages`` in the caller's unit of work: a refused request sends
    nothing, as a gateway called after commit would not."""

    def send(self, session: Session, *, phone: str, purpose: str, text: str) -> None:
        session.add(SmsMessage(phone=phone, purpose=purpose, text=text, sent_at=clock.now()))
        session.flush()


_senders: list[SmsSender] = [RecordingSmsSender()]


def register_sms_sender(sender: SmsSender) -> None:
    """A deployment plugs in its gateway (once per process)."""
    _senders[:] = [sender]


def sms_sender() -> SmsSender:
    return _senders[0]
