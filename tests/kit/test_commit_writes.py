"""Statements queued for the COMMIT (``kit.pipeline.defer_to_commit``): they stay queued through the
unit of work's later statements, go out with its COMMIT, are written before a savepoint, and go with
a rollback. PostgreSQL only (driver-level statements); a second connection sees whether the row is
locked yet, i.e. whether the statement was sent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import OperationalError

from finlife.kit.db import Database, savepoint
from finlife.kit.pipeline import (
    DriverSQL,
    defer_to_commit,
    fetch_together,
    has_work,
    start_batch_memory,
    write_deferred,
)

pytestmark = pytest.mark.postgres_only

STORE = "sto_commit_writes"
_RAISE = (
    "INSERT INTO search_store_popularity (store_id, popularity) VALUES (%(store_id)s, 1)"
    " ON CONFLICT (store_id) DO UPDATE SET popularity = search_store_popularity.popularity + 1"
)
_COUNT = text("SELECT popularity FROM search_store_popularity WHERE store_id = :id")


def _raise(session) -> None:  # type: ignore[no-untyped-def]
    defer_to_commit(session, DriverSQL(_RAISE, {"store_id": STORE}, what="a test count"))


@pytest.fixture
def other(db: Database) -> Iterator[Connection]:
    with db.unit_of_work() as session:
        session.execute(
            text("INSERT INTO search_store_popularity (store_id, popularity) VALUES (:id, 0)"), {"id": STORE}
        )
    with db.engine.connect() as connection:
        yield connection


def _locked(other: Connection) -> bool:
    """Whether another transaction holds the row (the queued statement was sent)."""
    other.execute(text("BEGIN"))
    try:
        other.execute(
            text("SELECT 1 FROM search_store_popularity WHERE store_id = :id FOR UPDATE NOWAIT"),
            {"id": STORE},
        )
        return False
    except OperationalError:
        return True
    finally:
        other.rollback()


def _count(other: Connection) -> int:
    value = int(other.execute(_COUNT, {"id": STORE}).scalar_one())
    other.rollback()
    return value


def test_it_waits_through_later_statements_and_goes_out_with_the_commit(
    db: Database, other: Connection
) -> None:
    with db.unit_of_work() as session:
        _raise(session)
        assert has_work(session)
        session.execute(select(1))  # an ORM statement writes the ordinary queue first, not this
        write_deferred(session)  # nor does writing the ordinary queue
        assert not _locked(other)
    assert _count(other) == 1


def test_a_reader_writes_it_first(db: Database, other: Connection) -> None:
    with db.unit_of_work() as session:
        _raise(session)
        write_deferred(session, at_commit_too=True)
        assert _locked(other)
        assert session.execute(_COUNT, {"id": STORE}).scalar_one() == 1
    assert _count(other) == 1


def test_a_savepoint_writes_it_first_and_its_rollback_keeps_it(db: Database, other: Connection) -> None:
    with db.unit_of_work() as session:
        _raise(session)
        with pytest.raises(RuntimeError), savepoint(session):
            assert _locked(other)
            _raise(session)  # queued inside the savepoint: undone with it
            raise RuntimeError("refused")
    assert _count(other) == 1


def test_a_rollback_drops_it(db: Database, other: Connection) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        _raise(session)
        session.execute(select(1))
        raise RuntimeError("refused")
    assert _count(other) == 0


def test_inside_a_group_commit_batch_it_is_an_ordinary_queued_statement(
    db: Database, other: Connection
) -> None:
    with db.unit_of_work() as session:
        start_batch_memory(session)  # what a group commit's batch does before its requests run
        _raise(session)
        session.execute(select(1))  # sent before the next statement, inside the batch's savepoints
        assert _locked(other)
    assert _count(other) == 1


def test_a_read_that_commits_sends_them_in_its_own_transaction(db: Database, other: Connection) -> None:
    """``fetch_together(commit=True)`` ends the transaction itself: what was queued for the COMMIT goes
    out in that transaction, not in one of its own after it (the row's ``xmin`` is the writer's id)."""
    with db.unit_of_work() as session:
        _raise(session)
        ((xid,),) = fetch_together(session, ("SELECT pg_current_xact_id()::text", {}), commit=True)[0]
        assert not session.in_transaction() and not has_work(session)
    written_by = other.execute(
        text("SELECT xmin::text FROM search_store_popularity WHERE store_id = :id"), {"id": STORE}
    ).scalar_one()
    other.rollback()
    assert int(written_by) == int(xid) % 2**32
    assert _count(other) == 1
