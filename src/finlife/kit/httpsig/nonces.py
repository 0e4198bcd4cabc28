"""Nonces remembered across nodes: a verified signature's (keyid, nonce) is written once in the
``signature_nonces`` table; the same pair again inside the window is a replay.

The window is the whole time a signature is accepted (its maximum age plus the skew allowed into
the future): a signature replayed later is refused as expired, so older rows can go. They are
pruned now and then by whichever node is due (at most once a minute per process); a row left over
past the window does not make its nonce a replay.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from finlife.kit.db import inserted_once, table_of
from finlife.kit.httpsig.models import SignatureNonce

PRUNE_EVERY = timedelta(minutes=1)


def first_use(session: Session, keyid: str, nonce: str, *, now: datetime, window: timedelta) -> bool:
    """Record the nonce in this transaction; False if ``keyid`` used it within ``window``.

    On PostgreSQL a concurrent use of the same pair waits on the primary key until the first
    commits, then finds it taken."""
    table = table_of(SignatureNonce)
    values = {"keyid": keyid, "nonce": nonce, "seen_at": now}
    if inserted_once(session, table, values, conflict_columns=["keyid", "nonce"]):
        return True
    # Taken: a replay, unless the row is older than the window and merely not pruned yet.
    stale = (table.c.keyid == keyid) & (table.c.nonce == nonce) & (table.c.seen_at < now - window)
    renewed = session.execute(update(table).where(stale).values(seen_at=now).returning(table.c.keyid))
    return renewed.first() is not None


def prune(session: Session, *, before: datetime) -> None:
    """Delete the nonces seen before ``before`` (they can no longer be replayed)."""
    table = table_of(SignatureNonce)
    session.execute(delete(table).where(table.c.seen_at < before))


class PruneSchedule:
    """When this process last pruned: each process prunes at most once per ``every``."""

    def __init__(self, every: timedelta = PRUNE_EVERY) -> None:
        self.every = every
        self._last: datetime | None = None
        self._lock = threading.Lock()

    def due(self, now: datetime) -> bool:
        with self._lock:
            if self._last is not None and now - self._last < self.every:
                return False
            self._last = now
            return True


prune_schedule = PruneSchedule()
