"""Leases: scheduled and long work (a settlement run, coupon expiry, a reconciliation, demo seeding)
runs on one node at a time, and another node takes it over when the one running it dies.

A lease is a row ``leases (name, holder, expires_at)``. Taking it is one atomic upsert: insert the
row, or take it over where it has expired (or is already ours); the row lock that ``ON CONFLICT DO
UPDATE`` takes on PostgreSQL, and SQLite's one writer, make two nodes that try at once see each
other. While the work runs a heartbeat thread renews it every third of its time; the work checks
``HeldLease.check()`` between its steps and stops (``LeaseLost``) if another node has taken over.

Why a table and not a session-level advisory lock (``pg_try_advisory_lock``): an advisory lock is
freed at once when its holder is killed (the kernel closes the socket), where a lease waits for its
expiry; but it lives exactly as long as one connection, so a node that hangs (stopped, swapping, cut
off behind a half-open TCP connection) keeps it until PostgreSQL's TCP keepalive gives up — minutes
to hours — and nobody can take over; it needs a connection held for the whole run (and breaks
behind a transaction-pooling PgBouncer); it shows an operator a pid, not a node; and SQLite has
nothing like it. A lease expires on its own after ``seconds`` however its holder died or hung, says
who holds it until when, and is the same code on both databases. The price is the takeover delay
(at most ``seconds``) and that a holder that wakes up after its lease expired may run one more step
beside the new holder before its check stops it: so the work a lease guards must itself be safe to
run twice (each settles a merchant's day under the merchant's row lock, ends each coupon once,
stores one reconciliation per bank and day), and the lease makes that the rare case, not the rule.

Expiry times are the nodes' wall clocks (UTC), not finlife's injectable clock: leases are between
processes, which all run on real time. Nodes' clocks must agree (NTP) to well within ``seconds``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, Database, UTCDateTime, dialect_insert_for, table_of
from finlife.kit.errors import FinlifeError
from finlife.kit.ids import new_id

log = logging.getLogger(__name__)

DEFAULT_SECONDS = 30.0


class Lease(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LeaseLost(FinlifeError):
    """Another node took the lease over (this one stopped renewing it in time): stop the work."""

    code = "lease_lost"
    status = 409


def _now() -> datetime:
    return datetime.now(UTC)


def new_holder() -> str:
    """Who holds a lease: the node and process (for an operator), and a random part (a restarted
    process with the same pid is somebody else)."""
    return f"{socket.gethostname()[:64]}:{os.getpid()}:{new_id('lh')}"


def try_acquire(database: Database, name: str, holder: str, seconds: float) -> bool:
    """Take the lease ``name`` for ``seconds`` if nobody holds it, it has expired, or ``holder``
    holds it already; False if another holder's lease is still running."""
    now = _now()
    table = table_of(Lease)
    with database.unit_of_work() as session:
        insert = dialect_insert_for(session)(table).values(
            name=name, holder=holder, expires_at=now + timedelta(seconds=seconds)
        )
        upsert = insert.on_conflict_do_update(
            index_elements=["name"],
            set_={"holder": insert.excluded.holder, "expires_at": insert.excluded.expires_at},
            where=(table.c.expires_at < now) | (table.c.holder == holder),
        ).returning(table.c.holder)
        taken = session.execute(upsert).scalar_one_or_none()
    return taken == holder


def renew(database: Database, name: str, holder: str, seconds: float) -> bool:
    """Push the lease's expiry ``seconds`` ahead; False if ``holder`` no longer holds it."""
    statement = (
        update(Lease)
        .where(Lease.name == name, Lease.holder == holder)
        .values(expires_at=_now() + timedelta(seconds=seconds))
    )
    with database.unit_of_work() as session:
        renewed: int = session.execute(statement).rowcount  # type: ignore[attr-defined]
    return renewed == 1


def release(database: Database, name: str, holder: str) -> None:
    """Give the lease up (only if ``holder`` still holds it): the next node need not wait."""
    with database.unit_of_work() as session:
        session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))


def current(database: Database, name: str) -> tuple[str, datetime] | None:
    """Who holds ``name`` and until when (an expired lease is still shown), or None."""
    with database.unit_of_work() as session:
        row = session.execute(select(Lease.holder, Lease.expires_at).where(Lease.name == name)).one_or_none()
    return None if row is None else (row.holder, row.expires_at)


class HeldLease:
    """A lease this process holds, kept alive by a heartbeat thread until ``close``."""

    def __init__(self, database: Database, name: str, holder: str, seconds: float) -> None:
        self.database, self.name, self.holder, self.seconds = database, name, holder, seconds
        self._lost = threading.Event()
        self._stopped = threading.Event()
        self._beat = threading.Thread(target=self._heartbeat, name=f"finlife-lease-{name}", daemon=True)
        self._beat.start()

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def check(self) -> None:
        """Raise ``LeaseLost`` if another node has taken the lease over: call it between steps."""
        if self._lost.is_set():
            raise LeaseLost(extra={"lease": self.name})

    def _heartbeat(self) -> None:
        last_renewed = time.monotonic()
        while not self._stopped.wait(self.seconds / 3):
            try:
                if not renew(self.database, self.name, self.holder, self.seconds):
                    log.error("lease %s: taken over by another node; stopping", self.name)
                    self._lost.set()
                    return
                last_renewed = time.monotonic()
            except Exception:  # the database away for a moment: try again, unless it is too late
                log.warning("lease %s: not renewed", self.name, exc_info=True)
                if time.monotonic() - last_renewed >= self.seconds:
                    self._lost.set()
                    return

    def close(self) -> None:
        self._stopped.set()
        self._beat.join()
        if not self._lost.is_set():
            try:
                release(self.database, self.name, self.holder)
            except Exception:  # it expires on its own
                log.warning("lease %s: not released", self.name, exc_info=True)


# Told once that the lease is held elsewhere, with its holder and expiry, before waiting for it.
OnWait = Callable[[str, datetime], None]


@contextmanager
def held(
    database: Database,
    name: str,
    *,
    seconds: float = DEFAULT_SECONDS,
    on_wait: OnWait | None = None,
    poll: float | None = None,
) -> Iterator[HeldLease]:
    """Hold the lease ``name`` while the block runs: wait (polling) while another node holds it,
    take it when it is free or has expired, renew it in the background, release it at the end."""
    holder = new_holder()
    told = False
    interval = poll if poll is not None else min(1.0, seconds / 4)
    while not try_acquire(database, name, holder, seconds):
        if not told and on_wait is not None:
            other = current(database, name)
            if other is not None:
                on_wait(*other)
                told = True
        time.sleep(interval)
    lease = HeldLease(database, name, holder, seconds)
    try:
        yield lease
    finally:
        lease.close()
