"""Customers' interactions as channel planning reads them: who was served on which channel when, and
which of those moved money (an interaction naming a ledger entry), with its amount. Other modules
read them through ``customers.service.channel_touches`` and never see the table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.customers.models import Interaction

BATCH = 2_000


@dataclass(frozen=True, slots=True)
class ChannelTouch:
    customer_id: str
    channel: str
    at: datetime
    amount: int | None  # fen, for an interaction that moved money; None otherwise


def channel_touches(session: Session, start: datetime, end: datetime) -> Iterator[ChannelTouch]:
    """Every interaction from ``start`` (included) to ``end`` (excluded), streamed in batches."""
    stmt = (
        select(Interaction.customer_id, Interaction.channel, Interaction.at, Interaction.details)
        .where(Interaction.at >= start, Interaction.at < end)
        .execution_options(yield_per=BATCH)
    )
    for customer_id, channel, at, details in session.execute(stmt):
        facts = details if isinstance(details, dict) else {}
        amount = facts.get("amount")
        moved = bool(facts.get("entry_id")) and isinstance(amount, int)
        yield ChannelTouch(customer_id, channel, at, amount if moved else None)
