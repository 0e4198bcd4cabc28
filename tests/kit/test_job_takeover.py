"""Jobs taken over (finlife.kit.jobs.takeover): a running job of a registered kind whose heartbeat
went stale is claimed by exactly one node, run again there to its end, counted, and failed once it
has been started ``job_max_attempts`` times; a node taken for dead writes nothing more to its row."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text, update

from finlife.kit import jobs
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.jobs import Job, kinds, writing
from finlife.settings import Settings
from tests.factories import make_user
from tests.nodes import wait_for
from tests.web.forms import signed_in

ADMIN = Actor(channel=Channel.BRANCH, user_id="usr_admin", roles=frozenset({Role.BANK_ADMIN}))
KIND = "test.counting"
runs: list[tuple[str, dict[str, Any]]] = []  # (who ran it, its parameters), one per run of the work


def _counting(
    context: jobs.JobContext, parameters: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    runs.append((context.actor.user_id or "", parameters))
    progress(1, 1, "ui.jobs.starting")
    return {"counted": parameters["n"]}


@pytest.fixture(autouse=True)
def counting_kind() -> Any:
    jobs.register(KIND, _counting)
    runs.clear()
    yield
    kinds.KINDS.pop(KIND, None)


def _stale_job(db: Database, settings: Settings, *, attempts: int = 1, n: int = 7) -> str:
    """A job row as a node leaves it when it is killed mid-run: running, its heartbeat stopped."""
    job_id = f"job_stale{attempts}x{n}"
    long_ago = clock.now() - timedelta(seconds=settings.job_stale_seconds + 1)
    with db.unit_of_work() as session:
        session.add(
            Job(
                public_id=job_id,
                kind=KIND,
                status="running",
                done=0,
                total=1,
                stage="ui.jobs.starting",
                stage_params={},
                created_by=ADMIN.user_id,
                created_at=long_ago,
                updated_at=long_ago,
                parameters={"actor": kinds.actor_record(ADMIN), "parameters": {"n": n}},
                attempts=attempts,
                runner="dead-node:1:lh_x",
            )
        )
    return job_id


def _row(db: Database, job_id: str) -> Job:
    with db.unit_of_work() as session:
        row: Job = session.execute(select(Job).where(Job.public_id == job_id)).scalar_one()
        session.expunge(row)
        return row


def _read(db: Database, job_id: str, language: str = "en") -> jobs.JobOut:
    with db.unit_of_work() as session:
        return jobs.get_job(session, ADMIN, job_id, language)


def test_a_stale_job_reads_as_being_resumed_then_runs_again_to_its_end(
    db: Database, settings: Settings
) -> None:
    job_id = _stale_job(db, settings)
    waiting = _read(db, job_id)
    assert (waiting.status, waiting.stage.key, waiting.error) == ("running", "ui.jobs.resuming", None)
    assert _read(db, job_id, "zh-CN").stage.text == "原节点已停止，正在另一节点上继续…"

    assert jobs.claim_stale(db, settings) == [job_id]
    jobs.wait(job_id)
    assert runs == [("usr_admin", {"n": 7})]
    ended = _read(db, job_id)
    assert (ended.status, ended.result, ended.attempts, ended.resumed) == (
        "succeeded",
        {"counted": 7},
        2,
        True,
    )
    row = _row(db, job_id)
    assert row.parameters is None and row.runner != "dead-node:1:lh_x"
    assert jobs.claim_stale(db, settings) == []  # ended: nothing more to take


def test_a_job_running_on_a_live_node_or_of_no_known_kind_is_not_taken(
    db: Database, settings: Settings
) -> None:
    fresh = _stale_job(db, settings, n=1)
    with db.unit_of_work() as session:
        session.execute(update(Job).where(Job.public_id == fresh).values(updated_at=clock.now()))
    unknown = _stale_job(db, settings, n=2)
    with db.unit_of_work() as session:
        session.execute(update(Job).where(Job.public_id == unknown).values(kind="test.unknown"))
    assert jobs.claim_stale(db, settings) == []
    assert runs == []
    assert (_row(db, fresh).attempts, _row(db, unknown).attempts) == (1, 1)


def test_after_its_last_attempt_a_job_is_failed_not_started_again(db: Database, settings: Settings) -> None:
    job_id = _stale_job(db, settings, attempts=settings.job_max_attempts)
    assert jobs.claim_stale(db, settings) == []
    assert runs == []
    ended = _read(db, job_id)
    assert ended.status == "failed" and ended.error is not None
    assert (ended.error.code, ended.error.params) == ("job_attempts_exhausted", {"attempts": 3})
    assert ended.error.message.startswith("The job was started 3 times")
    assert _row(db, job_id).parameters is None


def test_a_node_taken_for_dead_writes_nothing_more_to_the_row(db: Database, settings: Settings) -> None:
    job_id = _stale_job(db, settings)
    with db.unit_of_work() as session:  # another node took it over meanwhile
        session.execute(update(Job).where(Job.public_id == job_id).values(attempts=2, updated_at=clock.now()))
    assert writing.write_job(db, job_id, 1, {"status": "failed", "error_code": "job_failed"}, wait=True)
    row = _row(db, job_id)
    assert (row.status, row.error_code, row.attempts) == ("running", None, 2)


def test_a_resumable_job_started_here_records_its_kind_parameters_and_starter(
    db: Database, settings: Settings
) -> None:
    job_id = jobs.start_resumable(db, settings, ADMIN, KIND, {"n": 3})
    jobs.wait(job_id)
    assert runs == [("usr_admin", {"n": 3})]
    ended = _read(db, job_id)
    assert (ended.status, ended.result, ended.attempts, ended.resumed) == (
        "succeeded",
        {"counted": 3},
        1,
        False,
    )


def _waiting_on_job_lock(db: Database) -> int:
    with db.engine.connect() as conn:
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query LIKE 'UPDATE jobs SET%'"
        )
        return int(conn.execute(query).scalar_one())


@pytest.mark.postgres_only
def test_two_claimers_at_once_take_a_stale_job_once(db: Database, settings: Settings) -> None:
    job_id = _stale_job(db, settings)
    # The job's row locked by another transaction: both claimers read it stale, both send their
    # UPDATE and wait on the lock, so they truly race once it is let go.
    blocker = db.engine.connect()
    taken: list[list[str]] = []
    try:
        blocker.execute(text("SELECT 1 FROM jobs WHERE public_id = :j FOR UPDATE"), {"j": job_id})
        claimers = [
            threading.Thread(target=lambda: taken.append(jobs.claim_stale(db, settings))) for _ in range(2)
        ]
        for claimer in claimers:
            claimer.start()
        wait_for(lambda: _waiting_on_job_lock(db) == 2, "both claimers to wait on the job's row", seconds=30)
    finally:
        blocker.rollback()
        blocker.close()
    for claimer in claimers:
        claimer.join(30)
    assert sorted(taken) == [[], [job_id]]
    jobs.wait(job_id)
    assert runs == [("usr_admin", {"n": 7})]
    ended = _read(db, job_id)
    assert (ended.status, ended.attempts) == ("succeeded", 2)


def test_the_progress_page_says_the_job_is_resumed_on_another_node(
    client: TestClient, db: Database, settings: Settings
) -> None:
    admin_name = make_user(db, settings, roles=(Role.BANK_ADMIN,))
    browser = signed_in(client, "bank", admin_name)
    job_id = _stale_job(db, settings)
    with db.unit_of_work() as session:  # the page's admin started it
        user_id = session.execute(text("SELECT id FROM users WHERE username = :u"), {"u": admin_name})
        session.execute(update(Job).where(Job.public_id == job_id).values(created_by=user_id.scalar_one()))
    waiting = browser.get(f"/bank/jobs/{job_id}")
    assert waiting.status_code == 200, waiting.text
    assert "原节点已停止，正在另一节点上继续…" in waiting.text and "data-job-resumed" not in waiting.text
    with db.unit_of_work() as session:  # taken over: running again on another node, its second start
        session.execute(update(Job).where(Job.public_id == job_id).values(attempts=2, updated_at=clock.now()))
    resumed = browser.get(f"/bank/jobs/{job_id}")
    assert '<p class="hint" data-job-resumed="2">已在另一节点上继续（第 2 次启动）</p>' in resumed.text
    browser.cookies.set("lang", "en")
    assert "Resumed on another node (start 2)" in browser.get(f"/bank/jobs/{job_id}").text
