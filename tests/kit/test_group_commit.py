"""kit.group_commit: units of work of concurrent requests share a transaction, each keeps its own fate."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.kit.db import Database, defer_insert, table_of
from finlife.kit.errors import Conflict, RuleViolation
from finlife.kit.group_commit import GroupCommit
from finlife.kit.idempotency import _advisory_key, keys_prefetch, once
from finlife.kit.outbox import OutboxEvent
from finlife.kit.pipeline import DriverSQL, defer_sql, prefetch_together

from .batching import in_one_batch
from .test_deferred_inserts import _row

pytestmark = pytest.mark.postgres_only  # group commit is PostgreSQL's; SQLite runs units alone

_events = table_of(OutboxEvent)


def _txid(session: Session) -> int:
    txid: int = session.execute(text("SELECT txid_current()")).scalar_one()
    return txid


def _stored(db: Database) -> set[str]:
    with db.unit_of_work() as session:
        return set(session.execute(select(_events.c.public_id)).scalars())


def test_a_refused_request_leaves_nothing_and_the_others_commit_together(db: Database) -> None:
    def keeps(name: str) -> Callable[[Session], int]:
        def work(session: Session) -> int:
            defer_insert(session, _events, _row(name))
            return _txid(session)

        return work

    def refused_before_sending(session: Session) -> None:
        defer_insert(session, _events, _row("evt_queued_only"))
        raise RuleViolation("refused")

    def refused_after_sending(session: Session) -> None:
        defer_insert(session, _events, _row("evt_sent"))
        _txid(session)  # sends its savepoint and its row
        defer_insert(session, _events, _row("evt_queued_after"))
        raise RuleViolation("refused")

    first, queued_only, sent, last = in_one_batch(
        db, [keeps("evt_first"), refused_before_sending, refused_after_sending, keeps("evt_last")]
    )
    assert isinstance(first, int) and first == last  # one transaction
    assert isinstance(queued_only, RuleViolation) and isinstance(sent, RuleViolation)
    assert _stored(db) == {"evt_first", "evt_last"}


def test_orm_rows_of_a_refused_request_are_undone(db: Database) -> None:
    def flushed_then_refused(session: Session) -> None:
        session.add(OutboxEvent(**_row("evt_flushed")))
        session.flush()
        raise RuleViolation("refused")

    def added_then_refused(session: Session) -> None:
        session.add(OutboxEvent(**_row("evt_added")))
        raise RuleViolation("refused")

    def kept(session: Session) -> str:
        session.add(OutboxEvent(**_row("evt_orm_kept")))
        return "kept"

    results = in_one_batch(db, [flushed_then_refused, added_then_refused, kept])
    assert [type(r) for r in results[:2]] == [RuleViolation, RuleViolation]
    assert results[2] == "kept"
    assert _stored(db) == {"evt_orm_kept"}


def test_a_database_error_fails_only_its_own_request(db: Database) -> None:
    def insert(name: str) -> Callable[[Session], str]:
        def work(session: Session) -> str:
            defer_insert(session, _events, _row(name))
            return name

        return work

    results = in_one_batch(db, [insert("evt_twice"), insert("evt_twice"), insert("evt_other")])
    assert results[0] == "evt_twice" and results[2] == "evt_other"
    assert isinstance(results[1], IntegrityError)
    assert _stored(db) == {"evt_twice", "evt_other"}


def test_prepare_sees_every_hint_of_the_batch_before_any_runs(db: Database) -> None:
    seen: list[list[Any]] = []

    def prepare(session: Session, hints: Sequence[Any]) -> None:
        seen.append(list(hints))

    results = in_one_batch(db, [lambda s: len(seen)] * 3, prepare=prepare)
    assert seen == [[0, 1, 2]]
    assert results == [1, 1, 1]


def _lock_keys(session: Session, hints: Sequence[Any]) -> None:
    prefetch = keys_prefetch(session, hints)
    assert prefetch is not None
    prefetch_together(session, [prefetch])


class _Answer(BaseModel):
    n: int


def test_the_same_key_twice_in_a_batch_runs_once_and_replays(db: Database) -> None:
    def request(session: Session) -> tuple[int, bool]:
        def work() -> _Answer:
            count = session.execute(select(_events.c.id)).all()
            defer_insert(session, _events, _row(f"evt_once_{len(count)}"))
            return _Answer(n=len(count))

        outcome = once(session, scope="usr_1", key="k", request_fingerprint="f", status_code=201, work=work)
        return outcome.body["n"], outcome.replayed

    assert in_one_batch(db, [request, request]) == [(0, False), (0, True)]
    assert _stored(db) == {"evt_once_0"}


def test_a_batch_takes_its_keys_together_and_asks_nothing_per_request(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    def request(key: str, body: str) -> Callable[[Session], Any]:
        def work(session: Session) -> tuple[int, bool] | str:
            def run() -> _Answer:
                defer_insert(session, _events, _row(f"evt_{key}_{body}"))
                return _Answer(n=len(body))

            outcome = once(
                session, scope="usr_1", key=key, request_fingerprint=body, status_code=201, work=run
            )
            return outcome.body["n"], outcome.replayed

        return work

    with db.unit_of_work() as session:  # an earlier request with key "done"
        once(
            session,
            scope="usr_1",
            key="done",
            request_fingerprint="x",
            status_code=201,
            work=lambda: _Answer(n=7),
        )
    other = db.sessions()  # a request still running with key "busy"
    other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _advisory_key("usr_1", "busy")})
    try:
        keys = ["done", "busy", "new", "new", "new"]
        with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
            results = in_one_batch(
                db,
                [
                    request("done", "x"),
                    request("busy", "y"),
                    request("new", "zz"),
                    request("new", "zz"),
                    request("new", "other"),
                ],
                prepare=_lock_keys,
                hints=[("usr_1", key) for key in keys],
            )
    finally:
        other.rollback()
        other.close()
    assert results[0] == (7, True)
    assert isinstance(results[1], Conflict) and results[1].code == "idempotency_in_progress"
    assert results[2:4] == [(2, False), (2, True)]
    assert isinstance(results[4], RuleViolation) and results[4].code == "idempotency_key_reused"
    assert _stored(db) == {"evt_new_zz"}
    asked = [
        m
        for m in (r.getMessage() for r in caplog.records)
        if m.startswith("SELECT") and "idempotency_keys" in m
    ]
    assert len(asked) == 1  # the batch's one look-up, none per request


def test_the_next_batch_runs_and_commits_while_one_waits_for_its_commit(db: Database) -> None:
    committer = GroupCommit(db)
    gate = 7_000_001  # an advisory lock the first request's COMMIT has to wait for
    holder = db.sessions()
    holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": gate})

    def slow_to_commit(session: Session) -> str:
        defer_insert(session, _events, _row("evt_slow"))
        defer_sql(session, DriverSQL("SELECT pg_advisory_xact_lock(%(k)s)", {"k": gate}, what="gate"))
        return "slow"

    def quick(session: Session) -> str:
        defer_insert(session, _events, _row("evt_quick"))
        return "quick"

    def commit_is_waiting() -> bool:
        with db.unit_of_work() as session:
            waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            return bool(session.execute(text(waiting)).scalar_one())

    async def main() -> None:
        slow = asyncio.ensure_future(committer.run(slow_to_commit))
        deadline = time.monotonic() + 10
        while not commit_is_waiting():
            assert time.monotonic() < deadline, "the first request never reached its COMMIT"
            await asyncio.sleep(0.02)
        assert await asyncio.wait_for(committer.run(quick), 10) == "quick"
        assert not slow.done() and _stored(db) == {"evt_quick"}
        holder.rollback()
        assert await asyncio.wait_for(slow, 10) == "slow"

    try:
        asyncio.run(main())
    finally:
        holder.close()
    assert _stored(db) == {"evt_quick", "evt_slow"}
