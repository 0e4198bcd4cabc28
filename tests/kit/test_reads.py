"""kit.reads: reads sent together answer in order, see the rows queued before them, and give the rows
of every column of a table as SQLAlchemy gives them (JSON parsed, datetimes in UTC), on both
databases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select

from finlife.kit.db import Database, defer_insert, table_of
from finlife.kit.outbox import OutboxEvent
from finlife.kit.reads import Read, read_together

from .test_deferred_inserts import _row

_events = table_of(OutboxEvent)
_COUNT = select(func.count()).select_from(_events).where(_events.c.public_id == bindparam("id"))
_EVERY_COLUMN = select(*_events.columns).where(_events.c.public_id == bindparam("id"))
_EVERY_COLUMN_SQL = (
    f"SELECT {', '.join(c.name for c in _events.columns)} FROM outbox_events WHERE public_id = %(id)s"
)


def _count(public_id: str) -> Read[int]:
    params = {"id": public_id}
    sql = "SELECT count(*) FROM outbox_events WHERE public_id = %(id)s"
    return Read(sql, params, _COUNT, params, lambda rows: int(rows[0][0]))


def _every_column(public_id: str) -> Read[list[tuple[Any, ...]]]:
    params = {"id": public_id}
    return Read(_EVERY_COLUMN_SQL, params, _EVERY_COLUMN, params, list, every_column_of=_events)


def test_reads_answer_in_order_and_see_the_rows_queued_before_them(db: Database) -> None:
    with db.unit_of_work() as session:
        defer_insert(session, _events, _row("evt_seen"))
        nothing = Read("", {}, None, {}, lambda _rows: "asked nothing")
        seen, skipped, unseen, rows = read_together(
            session, _count("evt_seen"), nothing, _count("evt_other"), _every_column("evt_seen")
        )
        loaded = [tuple(row) for row in session.execute(_EVERY_COLUMN, {"id": "evt_seen"})]
    assert (seen, skipped, unseen) == (1, "asked nothing", 0)
    assert rows == loaded
    created_at = rows[0][[c.name for c in _events.columns].index("created_at")]
    assert created_at.utcoffset() is not None and created_at.utcoffset().total_seconds() == 0
    assert rows[0][[c.name for c in _events.columns].index("payload")] == {"nested": {"n": 1}, "text": "中文"}
