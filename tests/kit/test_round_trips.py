"""kit.pipeline and the pool: queued writes travel with the commit, failures keep their SQLAlchemy
types, and a pooled connection that died while idle is replaced, not handed out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from finlife.audit.models import AuditEvent
from finlife.kit import db as kit_db
from finlife.kit.db import Database, defer_insert, table_of
from finlife.kit.outbox import OutboxEvent
from finlife.kit.pipeline import fetch_together, is_postgresql

from .test_deferred_inserts import _row

_events = table_of(OutboxEvent)


def test_rows_of_several_tables_are_written_together_with_the_commit(db: Database) -> None:
    audit = table_of(AuditEvent)
    with db.unit_of_work() as session:
        for n in range(20):  # more than one combined statement's worth
            defer_insert(session, _events, _row(f"evt_{n}"))
        defer_insert(
            session,
            audit,
            {
                "public_id": "aud_1",
                "at": _row("x")["created_at"],
                "actor_user_id": None,
                "actor_username": None,
                "channel": "web",
                "action": "test.rows",
                "subject_type": "test",
                "subject_id": "t1",
                "details": {"中文": [1, 2]},
            },
        )
    with db.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(_events)).scalar_one() == 20
        assert session.execute(select(audit.c.details)).scalar_one() == {"中文": [1, 2]}


def test_a_duplicate_in_the_batch_fails_the_commit_as_an_integrity_error(db: Database) -> None:
    with pytest.raises(IntegrityError), db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_twice"))
        defer_insert(session, _events, _row("evt_twice"))
    with db.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(_events)).scalar_one() == 0


@pytest.mark.postgres_only  # driver-level queries are PostgreSQL's
def test_queries_sent_together_see_the_rows_queued_before_them(db: Database) -> None:
    with db.unit_of_work() as session:
        assert is_postgresql(session)
        defer_insert(session, _events, _row("evt_seen"))
        first, second = fetch_together(
            session,
            ("SELECT count(*) FROM outbox_events WHERE public_id = %(id)s", {"id": "evt_seen"}),
            ("SELECT %(n)s::int + 1", {"n": 41}),
        )
    assert first == [(1,)]
    assert second == [(42,)]


@pytest.mark.postgres_only
def test_a_connection_that_died_while_idle_is_replaced(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kit_db, "IDLE_PING_SECONDS", 0.0)  # every pooled connection counts as idle
    database = Database(db.url)
    try:
        with database.engine.connect() as conn:
            dead = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})
        with database.engine.connect() as conn:  # the pooled one fails its ping and is replaced
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != dead
    finally:
        database.dispose()
