"""Consumers of the event stream: the event as they see it, who subscribes to what, and applying an
event once although it may be delivered more than once.

A consumer has a stable name (``insights.daily_totals``): the name keys its rows in
``processed_events``, so renaming a consumer makes it see every event again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from finlife.events.models import ProcessedEvent
from finlife.kit.clock import clock
from finlife.kit.db import Database, insert_all_if_absent, inserted_once, table_of
from finlife.kit.pipeline import array_literal, fetch_together, is_postgresql


@dataclass(frozen=True, slots=True)
class Event:
    """One committed outbox event. ``id`` is its public id (``evt_…``): the key of every dedupe."""

    id: str
    type: str
    payload: dict[str, Any]
    channel: str | None
    created_at: datetime

    def to_json(self) -> bytes:
        body = {
            "id": self.id,
            "type": self.type,
            "channel": self.channel,
            "created_at": self.created_at.isoformat(),
            "payload": self.payload,
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Event:
        body = json.loads(data)
        return cls(
            id=body["id"],
            type=body["type"],
            payload=body["payload"],
            channel=body["channel"],
            created_at=datetime.fromisoformat(body["created_at"]),
        )


BATCH_ROWS = 500  # processed_events rows per insert

# A handler applies one event inside the consumer's transaction (the session); it flushes, never commits.
Handler = Callable[[Session, Event], None]
# A batch handler applies several events (in order) in one transaction: what a consumer whose cost is
# mostly per transaction and per query gives to take a fetched batch at once.
BatchHandler = Callable[[Session, Sequence[Event]], None]


@dataclass(frozen=True, slots=True)
class Subscription:
    name: str  # the consumer's stable name
    pattern: str  # an event type ("payment.approved"), a prefix ending in "." ("payment."), or "*"
    handler: Handler
    batch_handler: BatchHandler | None = None  # set by ``subscribe_batches``

    def wants(self, event_type: str) -> bool:
        if self.pattern == "*":
            return True
        if self.pattern.endswith("."):
            return event_type.startswith(self.pattern)
        return event_type == self.pattern


class Registry:
    """Who listens to which events in this process (the embedded stream delivers to them)."""

    def __init__(self) -> None:
        self._subscriptions: list[Subscription] = []
        self._lock = threading.Lock()

    def subscribe(self, pattern: str, handler: Handler, *, name: str) -> Subscription:
        """Deliver the events ``pattern`` names to ``handler``; ``name`` must be unique and stable."""
        subscription = Subscription(name=name, pattern=pattern, handler=handler)
        with self._lock:
            if any(s.name == name for s in self._subscriptions):
                raise ValueError(f"a consumer named {name!r} is already subscribed")
            self._subscriptions.append(subscription)
        return subscription

    def subscribe_batches(self, pattern: str, handler: BatchHandler, *, name: str) -> Subscription:
        """Like ``subscribe``, for a handler taking a batch of events in one transaction
        (``apply_batch_once``); a single event is a batch of one."""

        def one(session: Session, event: Event) -> None:
            handler(session, [event])

        subscription = Subscription(name=name, pattern=pattern, handler=one, batch_handler=handler)
        with self._lock:
            if any(s.name == name for s in self._subscriptions):
                raise ValueError(f"a consumer named {name!r} is already subscribed")
            self._subscriptions.append(subscription)
        return subscription

    def unsubscribe(self, name: str) -> None:
        with self._lock:
            self._subscriptions = [s for s in self._subscriptions if s.name != name]

    def all(self) -> list[Subscription]:
        return list(self._subscriptions)

    def matching(self, event_type: str) -> list[Subscription]:
        return [s for s in self._subscriptions if s.wants(event_type)]


# The process's registry: modules subscribe at import or app start-up.
registry = Registry()
subscribe = registry.subscribe


def first_time(session: Session, consumer: str, event_id: str) -> bool:
    """Record that ``consumer`` processes ``event_id`` in this transaction; False if it already did.

    Call it in the transaction that applies the event: if that transaction rolls back, so does the
    record, and the next delivery applies the event. On PostgreSQL a concurrent delivery of the same
    event waits on the primary key and then finds it taken.
    """
    return inserted_once(
        session,
        table_of(ProcessedEvent),
        {"consumer": consumer, "event_id": event_id, "processed_at": clock.now()},
        conflict_columns=["consumer", "event_id"],
    )


def apply_once(database: Database, subscription: Subscription, event: Event) -> bool:
    """Apply ``event`` with the subscription's handler in a transaction of its own, unless the consumer
    already did. True when applied now. An exception from the handler rolls everything back."""
    with database.unit_of_work() as session:
        if not first_time(session, subscription.name, event.id):
            return False
        subscription.handler(session, event)
        return True


# PostgreSQL: the ids as one array parameter of a statement whose text never changes. A multi-row
# VALUES list changes with the row count and is longer than psycopg caches, so psycopg parsed it
# anew for every batch: a fifth of the fan-out process's CPU (py-spy, docs/performance.md).
_RECORD_PROCESSED = (
    "INSERT INTO processed_events (consumer, event_id, processed_at)"
    " SELECT %(consumer)s, event_id, %(now)s FROM unnest(%(ids)s::text[]) AS event_id"
    " ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id"
)


def record_processed(session: Session, consumer: str, event_ids: Sequence[str]) -> set[str]:
    """Record in ``processed_events`` that ``consumer`` processes these events in this transaction;
    answers the ids recorded now (the others it had processed before)."""
    now = clock.now()
    if is_postgresql(session):
        (inserted,) = fetch_together(
            session, (_RECORD_PROCESSED, {"consumer": consumer, "now": now, "ids": array_literal(event_ids)})
        )
        return {row[0] for row in inserted}
    table = table_of(ProcessedEvent)
    fresh: set[str] = set()
    for start in range(0, len(event_ids), BATCH_ROWS):
        rows = [
            {"consumer": consumer, "event_id": event_id, "processed_at": now}
            for event_id in event_ids[start : start + BATCH_ROWS]
        ]
        fresh |= insert_all_if_absent(session, table, rows, conflict_columns=["consumer", "event_id"])
    return fresh


def apply_batch_once(database: Database, subscription: Subscription, events: Sequence[Event]) -> int:
    """Apply the events the consumer has not applied yet with its batch handler, in one transaction
    that also records them all in ``processed_events`` (one multi-row insert): the batch commits or
    rolls back whole. Answers how many were applied now. Without a batch handler, one by one."""
    if subscription.batch_handler is None:
        return sum(apply_once(database, subscription, event) for event in events)
    if not events:
        return 0
    with database.unit_of_work() as session:
        fresh = record_processed(session, subscription.name, [event.id for event in events])
        todo = []
        for event in events:
            if event.id in fresh:
                fresh.discard(event.id)  # a repeat inside the batch is applied once
                todo.append(event)
        if todo:
            subscription.batch_handler(session, todo)
        return len(todo)
