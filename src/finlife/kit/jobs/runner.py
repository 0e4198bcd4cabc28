"""Running a job: ``start`` writes its row and runs the work in a daemon thread of this process; the
work tells how far it got through ``Progress``; ``wait`` joins it (tests, and nothing else).

The work opens its own units of work (``database.unit_of_work()``), exactly as the CLI does: a
settlement run commits merchant by merchant, a reconciliation in one transaction. The job's row is
written beside them, each time in a short transaction of its own, so a poll answered by any worker
process sees it. Progress is advisory and throttled (``WRITES_PER_SECOND``); the end — status,
result or error, and the last progress reported — is always written.

On SQLite one connection writes at a time, and the work itself may hold that lock for as long as its
transaction lasts (a reconciliation does). A progress write there does not wait for the lock, or it
would wait for the very thread that called it: it is skipped, and the next one tries again. Only the
final write waits, and by then the work's transactions are over.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Update, update
from sqlalchemy.exc import OperationalError

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.ids import new_id
from finlife.kit.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)

WRITES_PER_SECOND = 4
HEARTBEAT_SECONDS = 15.0  # well inside reading.STALE_AFTER
STARTING = "ui.jobs.starting"
FAILED_CODE = "job_failed"

Write = Callable[[dict[str, Any]], None]


class Progress:
    """``progress(done, total, stage, **params)``: the work's position, ``stage`` a catalogue key.

    A report comes at most every 1/WRITES_PER_SECOND seconds; those in between are remembered, not
    written, and the last one goes out with the job's end.
    """

    def __init__(
        self,
        job_id: str,
        write: Write,
        *,
        interval: float = 1 / WRITES_PER_SECOND,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job_id = job_id
        self.state: dict[str, Any] = {"done": 0, "total": 0, "stage": STARTING, "stage_params": {}}
        self._write = write
        self._interval = interval
        self._now = now
        self._last: float | None = None

    def __call__(self, done: int, total: int, stage: str, **params: Any) -> None:
        self.state = {"done": done, "total": total, "stage": stage, "stage_params": _json(params)}
        moment = self._now()
        if self._last is not None and moment - self._last < self._interval:
            return
        self._last = moment
        self._write(self.state)


Work = Callable[[Progress], dict[str, Any] | None]

_threads: dict[str, threading.Thread] = {}
_threads_lock = threading.Lock()


def start(database: Database, actor: Actor, kind: str, work: Work) -> str:
    """Record a running job of ``kind`` started by ``actor``, run ``work(progress)`` in a daemon thread,
    and return the job's id at once. ``work`` returns the result (JSON: what it made, where to see it)."""
    job_id = new_id("job")
    now = clock.now()
    with database.unit_of_work() as session:
        session.add(
            Job(
                public_id=job_id,
                kind=kind,
                status=JobStatus.RUNNING,
                done=0,
                total=0,
                stage=STARTING,
                stage_params={},
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
        )
    thread = threading.Thread(
        target=_run, args=(database, job_id, work), name=f"finlife-{job_id}", daemon=True
    )
    with _threads_lock:
        _threads[job_id] = thread
    thread.start()
    return job_id


def wait(job_id: str, timeout: float = 120.0) -> None:
    """Block until a job started in this process has ended and its end is written (tests)."""
    with _threads_lock:
        thread = _threads.get(job_id)
    if thread is None:
        return  # ended already (or another process runs it)
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"job {job_id} still running after {timeout} s")


def _run(database: Database, job_id: str, work: Work) -> None:
    progress = Progress(
        job_id, lambda state: _write(database, job_id, state, wait=False), interval=1 / WRITES_PER_SECOND
    )
    stopped = threading.Event()
    heartbeat = threading.Thread(
        target=_beat, args=(database, job_id, stopped), name=f"finlife-{job_id}-heartbeat", daemon=True
    )
    heartbeat.start()
    try:
        try:
            result = work(progress)
        except FinlifeError as refused:
            end: dict[str, Any] = {
                "status": JobStatus.FAILED,
                "error_code": refused.code,
                "error_params": _json(refused.params),
            }
        except Exception:
            log.exception("job %s failed", job_id)
            end = {"status": JobStatus.FAILED, "error_code": FAILED_CODE, "error_params": {}}
        else:
            end = {"status": JobStatus.SUCCEEDED, "result": _json(result) if result is not None else None}
        stopped.set()
        heartbeat.join()
        _write(database, job_id, progress.state | end, wait=True)
    except Exception:  # the row stays "running" and reads as interrupted once its heartbeat is stale
        log.exception("job %s: its end could not be recorded", job_id)
    finally:
        stopped.set()
        with _threads_lock:
            _threads.pop(job_id, None)


def _beat(database: Database, job_id: str, stopped: threading.Event) -> None:
    """Keep ``updated_at`` fresh while the work is busy between reports (a long step is not a death)."""
    while not stopped.wait(HEARTBEAT_SECONDS):
        _write(database, job_id, {}, wait=False)


def _write(database: Database, job_id: str, values: dict[str, Any], *, wait: bool) -> None:
    """Update the job's row in a transaction of its own; only the final write (``wait``) may fail
    the caller: a progress report or a heartbeat that cannot be written is logged and forgotten."""
    statement = update(Job).where(Job.public_id == job_id).values(**values, updated_at=clock.now())
    if wait:
        with database.unit_of_work() as session:
            session.execute(statement)
        return
    try:
        if database.is_sqlite:
            _write_unless_locked(database, statement)
        else:
            with database.unit_of_work() as session:
                session.execute(statement)
    except Exception:
        log.warning("job %s: progress not recorded", job_id, exc_info=True)


def _write_unless_locked(database: Database, statement: Update) -> None:
    """SQLite: write now or not at all: never wait for the writer lock (see the module doc)."""
    with database.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        cursor.execute("PRAGMA busy_timeout")
        busy_timeout = cursor.fetchone()[0]  # type: ignore[index]  # a PRAGMA always answers
        cursor.execute("PRAGMA busy_timeout = 0")
        try:
            connection.execute(statement)
            connection.commit()
        except OperationalError as locked:
            if "locked" not in str(locked):
                raise
            connection.rollback()  # another transaction (the work's own, perhaps) writes: the next one tries
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
            cursor.close()


def _json(value: Any) -> Any:
    """Values as JSON stores them (dates as ISO text), so what is read back is what was written."""
    return json.loads(json.dumps(value, default=str))
