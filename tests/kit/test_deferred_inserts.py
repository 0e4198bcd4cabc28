"""Append-only rows queued with defer_insert: written before the next statement or the commit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from finlife.kit.db import defer_insert, table_of
from finlife.kit.outbox import OutboxEvent

from .test_outbox import _count

_events = table_of(OutboxEvent)


def _row(public_id: str) -> dict[str, object]:
    from finlife.kit.clock import clock

    return {
        "public_id": public_id,
        "type": "test.deferred",
        "payload": {"nested": {"n": 1}, "text": "中文"},
        "channel": "web",
        "created_at": clock.now(),
    }


def test_queued_rows_are_written_at_commit(db) -> None:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_a"))
        defer_insert(session, _events, _row("evt_b"))
    with db.unit_of_work() as session:
        rows = session.execute(select(OutboxEvent).order_by(OutboxEvent.public_id)).scalars().all()
    assert [(r.public_id, r.payload) for r in rows] == [
        ("evt_a", {"nested": {"n": 1}, "text": "中文"}),
        ("evt_b", {"nested": {"n": 1}, "text": "中文"}),
    ]


def test_a_later_query_in_the_same_unit_of_work_sees_them(db) -> None:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_c"))
        seen = session.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()
    assert seen == 1


def test_a_rolled_back_unit_of_work_writes_none_of_them(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_d"))
        raise RuntimeError("refused")
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_e"))
        session.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()  # written, then undone
        raise RuntimeError("refused after the write")
    assert _count(db) == 0
