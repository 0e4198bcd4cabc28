"""Text messages to a person's phone. A bank sends them through its SMS gateway (an operator's or an
aggregator's API): that is an integration point, ``SmsGateway``. finlife ships one gateway, the
outbox: each message is a row of ``sms_messages``, which a deployment's sender process would hand
to the real gateway, and which the demo and the tests read as the phone's inbox.

A message is written in the request's transaction: a refused request sends nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime
from finlife.kit.ids import new_id


class SmsMessage(Base):
    __tablename__ = "sms_messages"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    body: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # by the gateway's sender, if any


class SmsGateway(Protocol):
    def send(self, session: Session, phone: str, body: str) -> None: ...


class OutboxGateway:
    """Records the message for a sender process (or the demo's and tests' eyes)."""

    def send(self, session: Session, phone: str, body: str) -> None:
        session.add(SmsMessage(public_id=new_id("sms"), phone=phone, body=body, created_at=clock.now()))
        session.flush()


gateway: SmsGateway = OutboxGateway()


def messages_to(session: Session, phone: str) -> list[str]:
    """The messages recorded for ``phone``, oldest first (the demo's and the tests' inbox)."""
    rows = session.execute(
        select(SmsMessage.body).where(SmsMessage.phone == phone).order_by(SmsMessage.id)
    ).scalars()
    return list(rows)
