"""Taking over the jobs of a node that died: every node runs a ``Claimer`` (a thread beside its
server, started with the app), which looks every ``job_claim_seconds`` for running jobs of a
registered kind (``kit.jobs.kinds``) whose heartbeat is older than ``job_stale_seconds``, takes each
over and runs its work again here.

Taking over is one conditional UPDATE: ``attempts = attempts + 1`` where the row is still running,
still stale and still at the attempt this node read. Two nodes that try at once both send it; on
PostgreSQL the second waits for the first's row lock and then finds the row no longer matching (READ
COMMITTED re-reads it), on SQLite the writers take turns: one of them changes one row, the other
none, and only the one that changed it runs the work. The node taken for dead, if it was only slow,
writes nothing more to the row (its writes are guarded by its attempt, ``runner._write``) and is
stopped by the work's lease (``kit.leases``) at its next step.

A job that keeps dying with its node is not started forever: after ``job_max_attempts`` starts the
next stale sighting marks it failed (``job_attempts_exhausted``).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import Update, select, update

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.jobs import reading, runner
from finlife.kit.jobs.kinds import KINDS, bound_work
from finlife.kit.jobs.models import Job, JobStatus
from finlife.kit.jobs.reading import RESUMING
from finlife.kit.leases import new_holder
from finlife.settings import Settings

log = logging.getLogger(__name__)

EXHAUSTED_CODE = "job_attempts_exhausted"
STOP_SECONDS = 30.0


def configure(settings: Settings) -> None:
    """This process's job timing, from its settings (one process, one set of settings)."""
    runner.HEARTBEAT_SECONDS = settings.job_heartbeat_seconds
    reading.STALE_AFTER = timedelta(seconds=settings.job_stale_seconds)


def claim_stale(database: Database, settings: Settings) -> list[str]:
    """Take over every stale job of a registered kind, start its work here; the ids taken over."""
    cutoff = clock.now() - timedelta(seconds=settings.job_stale_seconds)
    with database.unit_of_work() as session:
        stale = session.execute(
            select(Job.public_id, Job.kind, Job.attempts, Job.parameters).where(
                Job.status == JobStatus.RUNNING, Job.updated_at < cutoff, Job.parameters.is_not(None)
            )
        ).all()
    taken = []
    for job_id, kind_name, attempts, parameters in stale:
        kind = KINDS.get(kind_name)
        if kind is None or parameters is None:
            continue  # a kind this node does not know: a node that does takes it
        still_stale = (
            Job.public_id == job_id,
            Job.status == JobStatus.RUNNING,
            Job.updated_at < cutoff,
            Job.attempts == attempts,
        )
        if attempts >= settings.job_max_attempts:
            _claim(
                database,
                update(Job)
                .where(*still_stale)
                .values(
                    status=JobStatus.FAILED,
                    error_code=EXHAUSTED_CODE,
                    error_params={"attempts": attempts},
                    parameters=None,
                    updated_at=clock.now(),
                ),
            )
            continue
        resumed = (
            update(Job)
            .where(*still_stale)
            .values(
                attempts=attempts + 1,
                runner=new_holder(),
                stage=RESUMING,
                stage_params={},
                updated_at=clock.now(),
            )
        )
        if not _claim(database, resumed):
            continue  # another node took it first
        log.warning(
            "job %s (%s): its node stopped; running it here, start %d", job_id, kind_name, attempts + 1
        )
        runner.run_in_thread(
            database,
            job_id,
            attempts + 1,
            bound_work(kind, database, settings, parameters),
            lease=kind.lease(parameters["parameters"]) if kind.lease is not None else None,
            lease_seconds=settings.lease_seconds,
        )
        taken.append(job_id)
    return taken


def _claim(database: Database, statement: Update) -> bool:
    with database.unit_of_work() as session:
        changed: int = session.execute(statement).rowcount  # type: ignore[attr-defined]
    return changed == 1


class Claimer:
    """``claim_stale`` every ``job_claim_seconds`` in a daemon thread, until ``stop``."""

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database, self.settings = database, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="finlife-job-claimer", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_SECONDS)

    def _run(self) -> None:
        while not self._stop.wait(self.settings.job_claim_seconds):
            try:
                claim_stale(self.database, self.settings)
            except Exception:  # the database away for a moment: look again next time
                log.warning("jobs: stale jobs not claimed", exc_info=True)
