"""Running a job: ``start`` writes its row and runs the work in a daemon thread of this process; the
work tells how far it got through ``Progress``; ``wait`` joins it (tests, and nothing else).

The work opens its own units of work (``database.unit_of_work()``), exactly as the CLI does: a
settlement run commits merchant by merchant, a reconciliation in one transaction. The job's row is
written beside them, each time in a short transaction of its own, so a poll answered by any worker
process sees it. Progress is advisory and throttled (``WRITES_PER_SECOND``); the end — status,
result or error, and the last progress reported — is always written.

On SQLite one connection writes at a time, and the work itself may hold that lock for as long as its
transaction lasts (a reconciliation does). A progress write there does not wait for the lock, or it
would wait for the very thread that called it: it is held back. Only the final write waits, and by
then the work's transactions are over.

A report held back — too soon after the last, or refused the lock — is not lost: the job's reporter
thread writes it within an interval, so a page shows where the work stands even while the work sits
in one long step and reports nothing new. The same thread keeps the heartbeat.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.ids import new_id
from finlife.kit.jobs.models import Job, JobStatus
from finlife.kit.jobs.writing import write_job as _write
from finlife.kit.leases import DEFAULT_SECONDS, HeldLease, held, new_holder

log = logging.getLogger(__name__)

WRITES_PER_SECOND = 4
HEARTBEAT_SECONDS = 15.0  # well inside reading.STALE_AFTER
KEEP_FOR = timedelta(days=30)  # then a job's row goes, the next time a job starts
MIN_TICK_SECONDS = 0.05  # the reporter's tick when writes are not throttled (tests): never a busy loop
STARTING = "ui.jobs.starting"
WAITING_FOR_LEASE = "ui.jobs.waiting_for_lease"
FAILED_CODE = "job_failed"

# Records a report; False when it could not be recorded now (the lock was busy, the database away).
Write = Callable[[dict[str, Any]], bool]


class Progress:
    """``progress(done, total, stage, **params)``: the work's position, ``stage`` a catalogue key.

    A report is written at most every ``interval`` seconds; one held back (too soon, or not recorded)
    is kept, and ``flush`` writes it once the interval has passed. The last one goes out with the
    job's end in any case. The work's thread reports and the reporter thread flushes, hence the lock.
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
        self.interval = interval
        self._write = write
        self._now = now
        self._last: float | None = None
        self._held_back = False
        self._lock = threading.Lock()
        self.lease: HeldLease | None = None  # the lease the work runs under, if it takes one

    def __call__(self, done: int, total: int, stage: str, **params: Any) -> None:
        """Report; and, between the work's steps, stop it (``LeaseLost``) if another node took over."""
        if self.lease is not None:
            self.lease.check()
        with self._lock:
            self.state = {"done": done, "total": total, "stage": stage, "stage_params": _json(params)}
            self._held_back = True
            self._send_if_due()

    def flush(self) -> None:
        """Write the report held back, if there is one and the interval since the last try has passed."""
        with self._lock:
            if self._held_back:
                self._send_if_due()

    def _send_if_due(self) -> None:
        moment = self._now()
        if self._last is not None and moment - self._last < self.interval:
            return
        self._last = moment  # a refused write, too, waits an interval before the next try
        self._held_back = not self._write(self.state)


Work = Callable[[Progress], dict[str, Any] | None]

_threads: dict[str, threading.Thread] = {}
_threads_lock = threading.Lock()


def start(
    database: Database,
    actor: Actor,
    kind: str,
    work: Work,
    *,
    lease: str | None = None,
    lease_seconds: float = DEFAULT_SECONDS,
    parameters: dict[str, Any] | None = None,
) -> str:
    """Record a running job of ``kind`` started by ``actor``, run ``work(progress)`` in a daemon thread,
    and return the job's id at once. ``work`` returns the result (JSON: what it made, where to see it).

    With ``lease``, the work runs under that lease (``kit.leases``): while another node (or this one)
    runs the same work the job waits, saying so, and a node that took over stops it. With
    ``parameters`` (``kit.jobs.kinds.start_resumable``) another node can run it again if this one dies."""
    job_id = new_id("job")
    now = clock.now()
    holder = new_holder()
    with database.unit_of_work() as session:
        # Jobs are looked at while they run and just after; a row not written for KEEP_FOR (ended,
        # or its process long dead) is nobody's any more. Few rows, a job or two a day: no index.
        session.execute(delete(Job).where(Job.updated_at < now - KEEP_FOR))
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
                parameters=_json(parameters) if parameters is not None else None,
                attempts=1,
                runner=holder,
            )
        )
    run_in_thread(database, job_id, 1, work, lease=lease, lease_seconds=lease_seconds)
    return job_id


def run_in_thread(
    database: Database,
    job_id: str,
    attempt: int,
    work: Work,
    *,
    lease: str | None = None,
    lease_seconds: float = DEFAULT_SECONDS,
) -> None:
    """Run the ``attempt``-th start of a recorded job's work in a daemon thread of this process."""
    thread = threading.Thread(
        target=_run,
        args=(
            database,
            job_id,
            attempt,
            _under_lease(database, lease, lease_seconds, work) if lease else work,
        ),
        name=f"finlife-{job_id}",
        daemon=True,
    )
    with _threads_lock:
        _threads[job_id] = thread
    thread.start()


def _under_lease(database: Database, name: str, seconds: float, work: Work) -> Work:
    def leased(progress: Progress) -> dict[str, Any] | None:
        def waiting(holder: str, _until: Any) -> None:
            progress(0, 0, WAITING_FOR_LEASE, holder=holder.split(":", 1)[0])

        with held(database, name, seconds=seconds, on_wait=waiting) as lease:
            progress.lease = lease
            return work(progress)

    return leased


def wait(job_id: str, timeout: float = 120.0) -> None:
    """Block until a job started in this process has ended and its end is written (tests)."""
    with _threads_lock:
        thread = _threads.get(job_id)
    if thread is None:
        return  # ended already (or another process runs it)
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"job {job_id} still running after {timeout} s")


def _run(database: Database, job_id: str, attempt: int, work: Work) -> None:
    progress = Progress(
        job_id,
        lambda state: _write(database, job_id, attempt, state, wait=False),
        interval=1 / WRITES_PER_SECOND,
    )
    stopped = threading.Event()
    reporter = threading.Thread(
        target=_report,
        args=(database, job_id, attempt, progress, stopped),
        name=f"finlife-{job_id}-reporter",
        daemon=True,
    )
    reporter.start()
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
        reporter.join()
        # Its parameters (a whole uploaded file, perhaps) served to run it again: an ended job needs none.
        _write(database, job_id, attempt, progress.state | end | {"parameters": None}, wait=True)
    except Exception:  # the row stays "running" and reads as interrupted once its heartbeat is stale
        log.exception("job %s: its end could not be recorded", job_id)
    finally:
        stopped.set()
        with _threads_lock:
            _threads.pop(job_id, None)


def _report(
    database: Database, job_id: str, attempt: int, progress: Progress, stopped: threading.Event
) -> None:
    """Until the work ends: every interval, write a report held back; every HEARTBEAT_SECONDS, touch
    ``updated_at`` (the work may be busy in one long step, which is not a death)."""
    beat_due = time.monotonic() + HEARTBEAT_SECONDS
    while not stopped.wait(max(progress.interval, MIN_TICK_SECONDS)):
        progress.flush()
        if time.monotonic() >= beat_due:
            _write(database, job_id, attempt, {}, wait=False)
            beat_due = time.monotonic() + HEARTBEAT_SECONDS


def _json(value: Any) -> Any:
    """Values as JSON stores them (dates as ISO text), so what is read back is what was written."""
    return json.loads(json.dumps(value, default=str))
