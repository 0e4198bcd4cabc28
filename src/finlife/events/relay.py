"""The relay: committed outbox events, in id order, handed to a sink and then marked published.

One round (``run_once``) claims up to ``batch_size`` unpublished events, delivers them, and marks the
delivered ones (``published_at``). A sink delivers a batch in order and tells how many of its first
events it delivered; the rest stay unpublished and come again in the next round, so nothing is lost.
A relay that dies between delivering and marking delivers those events again when it (or another)
runs: delivery is at least once, and JetStream's ``Nats-Msg-Id`` window and the consumers'
``processed_events`` rows drop the repeats.

PostgreSQL: the claim is ``SELECT … FOR UPDATE SKIP LOCKED`` and the round's transaction holds those
row locks until the mark commits, so relays on several nodes share the work and never deliver the
same event at the same time. SQLite has no row locks: one relay per database file, made sure of by
an advisory lock on a file beside the database (``SingleRelayLock``); the claim is read in a short
transaction so the sink's consumers can write while it delivers.

Nothing here runs on the request path: requests only insert outbox rows, as before.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Protocol

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.events.consumers import Event, Registry, Subscription, apply_batch_once, apply_once, registry
from finlife.events.metrics import RelayMetrics
from finlife.kit.clock import clock
from finlife.kit.db import Database, table_of
from finlife.kit.outbox import OutboxEvent
from finlife.kit.pipeline import DriverSQL, array_literal, defer_sql

log = logging.getLogger(__name__)

FIRST_IDLE_SECONDS = 0.05


class RelayBusy(RuntimeError):
    """On SQLite, another relay process already relays this database."""


class Sink(Protocol):
    name: str

    def deliver(self, events: Sequence[Event]) -> int:
        """Deliver ``events`` in order; return how many of the first ones were delivered."""

    def close(self) -> None: ...


class EmbeddedSink:
    """The embedded default: each event goes to this process's subscribers, each subscriber applying
    it once in a transaction of its own. A subscriber that fails stops the batch at that event, which
    comes again (subscribers that had applied it skip it then): later events wait, order is kept."""

    name = "embedded"

    def __init__(self, database: Database, subscribers: Registry = registry) -> None:
        self.database = database
        self.subscribers = subscribers

    def deliver(self, events: Sequence[Event]) -> int:
        # Batch subscribers take the whole batch in one transaction; one that fails gets the events
        # one by one below, which stops at the event it refuses.
        done = {s.name for s in self.subscribers.all() if s.batch_handler and self._batch(s, events)}
        for delivered, event in enumerate(events):
            for subscription in self.subscribers.matching(event.type):
                if subscription.name in done:
                    continue
                try:
                    apply_once(self.database, subscription, event)
                except Exception:
                    log.exception("consumer %s failed on event %s", subscription.name, event.id)
                    return delivered
        return len(events)

    def _batch(self, subscription: Subscription, events: Sequence[Event]) -> bool:
        try:
            apply_batch_once(self.database, subscription, [e for e in events if subscription.wants(e.type)])
        except Exception:
            log.exception("consumer %s failed on a batch; applying it event by event", subscription.name)
            return False
        return True

    def close(self) -> None:
        return None


class SingleRelayLock:
    """An exclusive advisory lock on ``<database file>.relay.lock``: on SQLite one relay at a time
    (``finlife serve --workers N`` starts one per worker; the others wait). The kernel releases it when
    its process dies, so another relay takes over."""

    def __init__(self, database: Database) -> None:
        path = database.engine.url.database or ""
        self.path = Path(f"{path}.relay.lock") if path and path != ":memory:" else None
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        if self.path is None or self._file is not None:
            return True
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class Relay:
    def __init__(
        self,
        database: Database,
        sink: Sink,
        *,
        batch_size: int = 100,
        idle_max_seconds: float = 1.0,
        metrics: RelayMetrics | None = None,
        after_delivery: Callable[[Sequence[Event]], None] | None = None,
    ) -> None:
        self.database = database
        self.sink = sink
        self.batch_size = batch_size
        self.idle_max_seconds = idle_max_seconds
        self.metrics = metrics
        # Called between delivery and mark: where a test makes the process die (fault injection).
        self.after_delivery = after_delivery
        self._lock = None if not database.is_sqlite else SingleRelayLock(database)
        # Built once: a busy relay claims many rounds a second, and SQLAlchemy keys a statement
        # object once instead of on every round.
        table = table_of(OutboxEvent)
        claim = (
            select(table.c.public_id, table.c.type, table.c.payload, table.c.channel, table.c.created_at)
            .where(table.c.published_at.is_(None))
            .order_by(table.c.id)
            .limit(batch_size)
        )
        self._claim_statement = claim if database.is_sqlite else claim.with_for_update(skip_locked=True)

    def run_once(self) -> tuple[int, bool]:
        """One round: (events delivered and marked, whether the sink took the whole batch)."""
        if self.database.is_sqlite:
            with self.database.unit_of_work() as session:
                events = self._claim(session)
            delivered = self._deliver(events)
            if delivered:
                with self.database.unit_of_work() as session:
                    self._mark(session, events[:delivered])
        else:
            with self.database.unit_of_work() as session:  # the row locks last until the mark commits
                events = self._claim(session)
                delivered = self._deliver(events)
                self._mark(session, events[:delivered])
        if self.metrics is not None and delivered:
            self.metrics.published.labels(self.sink.name).inc(delivered)
        return delivered, delivered == len(events)

    def drain(self) -> int:
        """Run rounds until nothing is pending or a round stops short; how many were published."""
        if self._lock is not None and not self._lock.acquire():
            raise RelayBusy(f"another relay holds {self._lock.path}")
        total = 0
        try:
            while True:
                moved, whole = self.run_once()
                total += moved
                if moved < self.batch_size or not whole:
                    return total
        finally:
            if self._lock is not None:
                self._lock.release()

    def run(self, stop: threading.Event) -> None:
        """Rounds until ``stop`` is set: at once while batches come full, else after a pause that
        doubles from 50 ms up to ``idle_max_seconds`` while nothing comes (cheap when idle)."""
        pause = FIRST_IDLE_SECONDS
        try:
            while not stop.is_set():
                if self._lock is not None and not self._lock.acquire():
                    stop.wait(self.idle_max_seconds)  # another relay has this database
                    continue
                try:
                    moved, whole = self.run_once()
                except Exception:
                    log.exception("relay round failed")
                    moved, whole = 0, False
                if not whole and self.metrics is not None:
                    self.metrics.failures.inc()
                if moved == self.batch_size and whole:
                    pause = FIRST_IDLE_SECONDS
                    continue
                if moved and whole:
                    pause = FIRST_IDLE_SECONDS
                stop.wait(pause)
                pause = min(pause * 2, self.idle_max_seconds)
        finally:
            if self._lock is not None:
                self._lock.release()

    def _claim(self, session: Session) -> list[Event]:
        return [
            Event(
                id=row.public_id,
                type=row.type,
                payload=row.payload,
                channel=row.channel,
                created_at=row.created_at,
            )
            for row in session.execute(self._claim_statement)
        ]

    def _deliver(self, events: list[Event]) -> int:
        if not events:
            return 0
        delivered = self.sink.deliver(events)
        if delivered and self.after_delivery is not None:
            self.after_delivery(events[:delivered])
        return delivered

    def _mark(self, session: Session, events: Sequence[Event]) -> None:
        if not events:
            return
        ids, now = [event.id for event in events], clock.now()
        if self.database.is_sqlite:
            table = table_of(OutboxEvent)
            session.execute(update(table).where(table.c.public_id.in_(ids)).values(published_at=now))
            return
        # Queued, so the UPDATE travels with the COMMIT: one round trip fewer per batch (kit.pipeline).
        mark = "UPDATE outbox_events SET published_at = %(now)s WHERE public_id = ANY(%(ids)s::text[])"
        params = {"now": now, "ids": array_literal(ids)}
        defer_sql(session, DriverSQL(mark, params, what="marking events published", independent_of_rows=True))
