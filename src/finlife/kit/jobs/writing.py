"""Writing a job's row (``kit.jobs.runner``): each report, heartbeat and end in a short transaction
of its own, guarded by the attempt that writes it. On SQLite a report does not wait for the writer
lock, which the work itself may hold (the runner's module doc says why)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Update, update
from sqlalchemy.exc import OperationalError

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.jobs.models import Job

log = logging.getLogger(__name__)


def write_job(database: Database, job_id: str, attempt: int, values: dict[str, Any], *, wait: bool) -> bool:
    """Update the job's row in a transaction of its own and say whether it was recorded. Only the
    final write (``wait``) may fail the caller: a report or a heartbeat that cannot be written is
    logged, and the report is tried again (``Progress.flush``). Only while the row is still this
    ``attempt``'s: a node that was taken for dead and taken over by another writes nothing more."""
    statement = (
        update(Job)
        .where(Job.public_id == job_id, Job.attempts == attempt)
        .values(**values, updated_at=clock.now())
    )
    if wait:
        with database.unit_of_work() as session:
            session.execute(statement)
        return True
    try:
        if database.is_sqlite:
            return _write_unless_locked(database, statement)
        with database.unit_of_work() as session:
            session.execute(statement)
        return True
    except Exception:
        log.warning("job %s: progress not recorded", job_id, exc_info=True)
        return False


def _write_unless_locked(database: Database, statement: Update) -> bool:
    """SQLite: write now or not at all (False): never wait for the writer lock."""
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
            return True
        except OperationalError as locked:
            if "locked" not in str(locked):
                raise
            connection.rollback()  # another transaction (the work's own, perhaps) writes: try again later
            return False
        finally:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout)}")
            cursor.close()
