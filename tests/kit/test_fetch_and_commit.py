"""``kit.pipeline.fetch_together(commit=True)``: the queued writes, the reads and the COMMIT in one
round trip; the transaction is over when it answers (the webhook worker's claim ends so)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from finlife.kit.db import Database, defer_insert, table_of
from finlife.kit.outbox import OutboxEvent
from finlife.kit.pipeline import fetch_together

from .test_deferred_inserts import _row

_events = table_of(OutboxEvent)


@pytest.mark.postgres_only  # driver-level queries are PostgreSQL's
def test_the_reads_answer_and_the_transaction_is_committed_with_them(db: Database) -> None:
    with db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_committed"))
        (rows,) = fetch_together(
            session,
            ("SELECT public_id FROM outbox_events WHERE public_id = %(id)s", {"id": "evt_committed"}),
            commit=True,
        )
        assert rows == [("evt_committed",)]
        assert not session.in_transaction()  # over: what the caller does next is a transaction of its own
    with db.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(_events)).scalar_one() == 1


@pytest.mark.postgres_only
def test_what_follows_the_commit_is_not_part_of_it(db: Database) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_kept"))
        fetch_together(session, commit=True)
        defer_insert(session, _events, _row("evt_undone"))
        session.flush()
        raise RuntimeError("the next transaction fails")
    with db.unit_of_work() as session:
        kept = session.execute(select(_events.c.public_id)).scalars().all()
    assert kept == ["evt_kept"]
