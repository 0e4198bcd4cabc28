"""kit.pipeline: the rows of many units of work (a group commit's) go out as one INSERT from arrays
per table, after the statements that do not depend on them; every value comes back as it went in."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from finlife.audit.models import AuditEvent
from finlife.kit.db import Database, defer_insert, table_of
from finlife.kit.outbox import OutboxEvent
from finlife.kit.pipeline import DriverSQL, defer_sql

_audit = table_of(AuditEvent)
_outbox = table_of(OutboxEvent)
AWKWARD = ["plain", 'a "quoted" one', "back\\slash", "comma, brace} {open", "  ", "", "NULL", "中文"]
START = datetime(2026, 11, 30, 1, 2, 3, 456789, tzinfo=UTC)


def _audit_row(n: int) -> dict[str, Any]:
    text = AWKWARD[n % len(AWKWARD)]
    return {
        "public_id": f"aud_{n}",
        "at": START + timedelta(seconds=n),
        "actor_user_id": None if n % 3 == 0 else f"usr_{n}",
        "actor_username": text,
        "channel": "web",
        "action": "test.arrays",
        "subject_type": "test",
        "subject_id": f"t{n}",
        "details": {"text": text, "n": n, "nested": [None, True, 1.5, {"q": '"\\'}]},
    }


def _outbox_row(n: int) -> dict[str, Any]:
    return {
        "public_id": f"evt_{n}",
        "type": "test.arrays",
        "payload": {"n": n, "text": AWKWARD[n % len(AWKWARD)]},
        "channel": None if n % 2 else "web",
        "created_at": START,
    }


def _unit_of_work_rows(session: Any, n: int) -> None:
    defer_insert(session, _audit, _audit_row(n))
    defer_insert(session, _outbox, _outbox_row(n))


def test_rows_of_many_units_come_back_as_they_went_in(db: Database) -> None:
    with db.unit_of_work() as session:
        for n in range(20):  # a batch's worth: more rows than one combined statement takes
            _unit_of_work_rows(session, n)
    with db.unit_of_work() as session:
        audit = {row.public_id: row for row in session.execute(select(_audit)).all()}
        outbox = {row.public_id: row for row in session.execute(select(_outbox)).all()}
    assert len(audit) == len(outbox) == 20
    for n in range(20):
        expected = _audit_row(n)
        got = audit[f"aud_{n}"]._asdict()
        assert {k: got[k] for k in expected} == expected
        expected = _outbox_row(n)
        got = outbox[f"evt_{n}"]._asdict()
        assert {k: got[k] for k in expected} == expected


@pytest.mark.postgres_only  # driver-level statements are PostgreSQL's
def test_rows_wait_for_independent_statements_only(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"), db.unit_of_work() as session:
        for n in range(10):
            _unit_of_work_rows(session, n)
            defer_sql(session, DriverSQL("SELECT 1", {}, what="independent", independent_of_rows=True))
        defer_sql(session, DriverSQL("SAVEPOINT s", {}, what="savepoint", savepoint=True))
        for n in range(10, 20):
            _unit_of_work_rows(session, n)
    sent = [r.getMessage() for r in caplog.records if r.name == "finlife.kit.pipeline"]
    inserts = [i for i, sql in enumerate(sent) if sql.lstrip().startswith(("INSERT", "WITH"))]
    savepoint = sent.index("SAVEPOINT s")
    # The ten independent statements first, then the first ten units' rows in one statement (one
    # INSERT from arrays per table), then the savepoint, then the rest of the rows in one statement.
    assert sent[:10] == ["SELECT 1"] * 10
    assert inserts == [10, savepoint + 1]
    assert "unnest(" in sent[10] and sent[10].count("INSERT INTO") == 2
    with db.unit_of_work() as session:
        assert len(session.execute(select(_audit.c.id)).all()) == 20


@pytest.mark.parametrize(
    "texts",
    [
        ["plain"] * 20,  # nothing to escape: the column goes as one join
        ['a","b'] + ["plain"] * 19,  # a value that looks like the join's own separator
        ["NULL", "", "  spaces  ", "中文", "comma, brace} {open"] * 4,
    ],
    ids=["plain", "hidden-separator", "awkward-but-unescaped"],
)
def test_a_column_of_texts_comes_back_as_it_went_in(db: Database, texts: list[str]) -> None:
    with db.unit_of_work() as session:
        for n, text in enumerate(texts):
            defer_insert(session, _audit, {**_audit_row(n), "actor_username": text})
    with db.unit_of_work() as session:
        rows = session.execute(select(_audit.c.public_id, _audit.c.actor_username)).all()
    stored = {row.public_id: row.actor_username for row in rows}
    assert stored == {f"aud_{n}": text for n, text in enumerate(texts)}
