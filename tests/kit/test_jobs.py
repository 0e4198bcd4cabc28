"""Background jobs (finlife.kit.jobs): progress written as the work goes, throttled, the end always
written; a refusal or a crash fails the job with a code; a job whose heartbeat stopped reads as
interrupted. The work runs in a thread; ``jobs.wait`` joins it, so nothing here sleeps but the one
test that watches the reporter thread write while the work waits."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from finlife.kit import jobs
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import Conflict, NotFound
from finlife.kit.jobs import runner
from finlife.kit.outbox import OutboxEvent, publish

ADMIN = Actor(channel=Channel.BRANCH, user_id="usr_admin", roles=frozenset({Role.BANK_ADMIN}))


def _read(db: Database, job_id: str, language: str = "en") -> jobs.JobOut:
    with db.unit_of_work() as session:
        return jobs.get_job(session, ADMIN, job_id, language)


def _recorder(written: list[dict[str, Any]], answers: list[bool] | None = None) -> runner.Write:
    """A writer that keeps what it was given and answers as told (recorded, unless False is next)."""

    def write(state: dict[str, Any]) -> bool:
        written.append(state)
        return answers.pop(0) if answers else True

    return write


def test_reports_are_written_at_most_every_interval_and_the_last_one_is_kept() -> None:
    written: list[dict[str, Any]] = []
    moments = iter([0.0, 0.1, 0.2, 0.3, 0.31, 0.7])
    progress = jobs.Progress("job_x", _recorder(written), interval=0.25, now=lambda: next(moments))
    for done in range(1, 7):
        progress(done, 6, "ui.jobs.settle.merchants", bank="ZXB")
    # 0.0 written; 0.1 and 0.2 too soon; 0.3 written; 0.31 too soon; 0.7 written.
    assert [state["done"] for state in written] == [1, 4, 6]
    assert progress.state == {
        "done": 6,
        "total": 6,
        "stage": "ui.jobs.settle.merchants",
        "stage_params": {"bank": "ZXB"},
    }


def test_a_report_held_back_is_flushed_once_its_interval_has_passed() -> None:
    written: list[dict[str, Any]] = []
    moments = iter([0.0, 0.1, 0.2, 0.3, 0.4])
    progress = jobs.Progress("job_x", _recorder(written), interval=0.25, now=lambda: next(moments))
    progress(1, 3, "ui.jobs.settle.merchants")  # 0.0: written
    progress(2, 3, "ui.jobs.settle.merchants")  # 0.1: too soon, held back
    progress.flush()  # 0.2: still too soon
    assert [state["done"] for state in written] == [1]
    progress.flush()  # 0.3: written
    progress.flush()  # nothing held back: no write, and the clock is not even read
    assert [state["done"] for state in written] == [1, 2]
    assert next(moments) == 0.4


def test_a_report_the_database_refused_is_tried_again() -> None:
    written: list[dict[str, Any]] = []
    moments = iter([0.0, 0.1, 0.3, 0.6])
    refused_once = _recorder(written, answers=[False, True])
    progress = jobs.Progress("job_x", refused_once, interval=0.25, now=lambda: next(moments))
    progress(0, 3, "ui.jobs.settle.merchants")  # 0.0: tried, refused (SQLite: the lock was busy)
    progress.flush()  # 0.1: an interval has not passed since the try
    progress.flush()  # 0.3: tried again, recorded
    progress.flush()  # nothing held back
    assert [state["done"] for state in written] == [0, 0]
    assert next(moments) == 0.6


def test_a_work_that_sits_in_one_step_still_shows_its_last_report(db: Database) -> None:
    """The work reports twice in a row (the second too soon to be written) and then waits: the
    reporter thread writes the second while the work is still waiting."""
    release = threading.Event()

    def work(progress: jobs.Progress) -> None:
        progress(0, 2, "ui.jobs.settle.merchants")
        progress(1, 2, "ui.jobs.settle.merchants")
        release.wait(60)

    job_id = jobs.start(db, ADMIN, "settlement", work)
    try:
        deadline = time.monotonic() + 30
        while _read(db, job_id).done != 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        running = _read(db, job_id)
        assert (running.status, running.done, running.total) == ("running", 1, 2)
    finally:
        release.set()
        jobs.wait(job_id)


def test_a_job_shows_its_progress_while_it_runs_then_its_result(db: Database) -> None:
    seen: list[jobs.JobOut] = []

    def work(progress: jobs.Progress) -> dict[str, Any]:
        progress(0, 40, "ui.jobs.settle.merchants")  # the first report is always written
        seen.append(_read(db, progress.job_id, "zh-CN"))
        for done in range(1, 41):
            progress(done, 40, "ui.jobs.settle.merchants")
        progress(40, 40, "ui.jobs.settle.interbank")
        return {"url": "/bank/interbank?date=2026-03-02", "settled": 40, "day": date(2026, 3, 2)}

    job_id = jobs.start(db, ADMIN, "settlement", work)
    jobs.wait(job_id)

    [running] = seen
    assert (running.status, running.done, running.total) == ("running", 0, 40)
    assert running.stage.key == "ui.jobs.settle.merchants" and running.stage.text == "正在逐户结算商户…"
    assert running.result is None and running.error is None
    ended = _read(db, job_id)
    assert (ended.status, ended.done, ended.total, ended.kind) == ("succeeded", 40, 40, "settlement")
    assert ended.stage.text == "Settling each bank's net position…"  # the last report, written at the end
    assert ended.result == {"url": "/bank/interbank?date=2026-03-02", "settled": 40, "day": "2026-03-02"}
    assert ended.error is None


def test_a_refusal_fails_the_job_with_its_code_and_message(db: Database) -> None:
    def work(progress: jobs.Progress) -> None:
        progress(1, 3, "ui.jobs.reconcile.parking", count=3)
        raise Conflict("reconciliation_exists", params={"bank": "ZXB", "date": date(2026, 3, 2)})

    job_id = jobs.start(db, ADMIN, "reconciliation", work)
    jobs.wait(job_id)
    failed = _read(db, job_id, "zh-CN")
    assert (failed.status, failed.done, failed.total) == ("failed", 1, 3)
    assert failed.error is not None and failed.result is None
    assert failed.error.code == "reconciliation_exists"
    assert failed.error.params == {"bank": "ZXB", "date": "2026-03-02"}
    assert "ZXB" in failed.error.message and "2026-03-02" in failed.error.message
    assert "ZXB" in _read(db, job_id, "en").error.message  # type: ignore[union-attr]


def test_an_unexpected_error_fails_the_job_with_a_generic_code_and_is_logged(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    def work(progress: jobs.Progress) -> None:
        raise ZeroDivisionError("a bug")

    with caplog.at_level(logging.ERROR, logger="finlife.kit.jobs.runner"):
        job_id = jobs.start(db, ADMIN, "demo", work)
        jobs.wait(job_id)
    failed = _read(db, job_id)
    assert failed.status == "failed" and failed.error is not None
    assert (
        failed.error.code == "job_failed"
        and failed.error.message == "The job could not finish; please try again"
    )
    [record] = [r for r in caplog.records if job_id in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_a_running_job_not_heard_of_for_a_minute_reads_as_interrupted(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "HEARTBEAT_SECONDS", 3600.0)  # this test's clock moves, not the heartbeat
    reported, release = threading.Event(), threading.Event()

    def work(progress: jobs.Progress) -> None:
        progress(1, 2, "ui.jobs.settle.merchants")  # the first report is written at once
        reported.set()
        release.wait(60)

    job_id = jobs.start(db, ADMIN, "settlement", work)
    try:
        # Its report must be stamped before the clock moves, or it would be stamped "just now".
        assert reported.wait(30)
        clock.advance(jobs.STALE_AFTER - timedelta(seconds=1))
        assert _read(db, job_id).status == "running"
        clock.advance(timedelta(seconds=2))
        interrupted = _read(db, job_id)
        assert interrupted.status == "interrupted" and interrupted.error is not None
        assert interrupted.error.code == "job_interrupted"
    finally:
        release.set()
        jobs.wait(job_id)
    assert _read(db, job_id).status == "succeeded"  # it was alive after all: its end says so


def test_progress_inside_the_works_own_transaction_does_not_wait_for_it(db: Database) -> None:
    """On SQLite the work's open transaction holds the only writer lock; a progress write that waited
    for it would wait for its own thread (SQLite's 30 s busy timeout on each report). It is skipped
    instead; on PostgreSQL it is written beside the transaction. Either way the end is written."""
    written_during: list[bool] = []

    def work(progress: jobs.Progress) -> None:
        with db.unit_of_work() as session:
            publish(session, "test.reconciled", {"n": 1})
            # Written before this statement: the transaction is open (SQLite: the lock is taken).
            session.execute(select(OutboxEvent.id)).all()
            progress(1, 2, "ui.jobs.reconcile.parking", count=2)
            written_during.append(True)
        progress(2, 2, "ui.jobs.reconcile.parking", count=2)

    job_id = jobs.start(db, ADMIN, "reconciliation", work)
    jobs.wait(job_id, timeout=15)  # far below one busy timeout per report
    ended = _read(db, job_id)
    assert written_during == [True]
    assert (ended.status, ended.done, ended.total) == ("succeeded", 2, 2)
    with db.unit_of_work() as session:
        assert session.execute(select(OutboxEvent.type)).scalars().all() == ["test.reconciled"]


def test_a_job_not_written_for_thirty_days_is_deleted_when_the_next_one_starts(db: Database) -> None:
    old = jobs.start(db, ADMIN, "settlement", lambda _: None)
    jobs.wait(old)
    clock.advance(timedelta(days=20))
    recent = jobs.start(db, ADMIN, "reconciliation", lambda _: None)
    jobs.wait(recent)
    clock.advance(timedelta(days=10, seconds=1))  # the first is 30 days and a second old
    newest = jobs.start(db, ADMIN, "demo", lambda _: None)
    jobs.wait(newest)
    with db.unit_of_work() as session:
        kept = session.execute(select(jobs.Job.public_id).order_by(jobs.Job.id)).scalars().all()
    assert kept == [recent, newest]
    with pytest.raises(NotFound), db.unit_of_work() as session:
        jobs.get_job(session, ADMIN, old, "en")


def test_a_jobs_result_is_read_once_it_succeeded_and_only_for_its_kind(db: Database) -> None:
    made = jobs.start(db, ADMIN, "settlement", lambda _: {"url": "/bank/interbank", "settled": 2})
    jobs.wait(made)

    def refused(progress: jobs.Progress) -> None:
        raise Conflict("reconciliation_exists", params={"bank": "ZXB", "date": "2026-03-02"})

    failed = jobs.start(db, ADMIN, "settlement", refused)
    jobs.wait(failed)
    with db.unit_of_work() as session:
        assert jobs.result_of(session, ADMIN, made, "settlement") == {"url": "/bank/interbank", "settled": 2}
        assert jobs.result_of(session, ADMIN, made, "demo") is None
        assert jobs.result_of(session, ADMIN, failed, "settlement") is None
        stranger = Actor(channel=Channel.BRANCH, user_id="usr_other", roles=frozenset({Role.TELLER}))
        with pytest.raises(NotFound):
            jobs.result_of(session, stranger, made, "settlement")
