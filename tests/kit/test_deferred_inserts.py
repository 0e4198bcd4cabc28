"""Append-only rows queued with defer_insert: written before the next statement or the commit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from finlife.kit.db import defer_insert, savepoint, table_of
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


def _ids(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        return sorted(session.execute(select(OutboxEvent.public_id)).scalars())


def test_a_savepoint_rolled_back_keeps_the_rows_queued_before_it(db) -> None:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_before"))
        with pytest.raises(ValueError), savepoint(session):
            defer_insert(session, _events, _row("evt_inside"))
            session.execute(select(func.count()).select_from(OutboxEvent)).scalar_one()
            raise ValueError("refused inside the savepoint")
        with pytest.raises(ValueError), savepoint(session):
            defer_insert(session, _events, _row("evt_inside_unwritten"))
            raise ValueError("refused before anything was written")
        defer_insert(session, _events, _row("evt_after"))
    assert _ids(db) == ["evt_after", "evt_before"]


def test_a_savepoint_released_keeps_its_rows(db) -> None:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        with savepoint(session):
            defer_insert(session, _events, _row("evt_inside"))
        defer_insert(session, _events, _row("evt_after"))
    assert _ids(db) == ["evt_after", "evt_inside"]


def test_savepoints_go_through_the_kit() -> None:
    """``session.begin_nested()`` would let a rollback take rows queued before it (see kit.db)."""
    source = Path(__file__).resolve().parents[2] / "src" / "finlife"
    offenders = [
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if "begin_nested(" in path.read_text(encoding="utf-8") and path.name != "db.py"
    ]
    assert offenders == []
