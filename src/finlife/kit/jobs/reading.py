"""Reading a job: its state as its creator (or a bank admin) sees it, in the viewer's language."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.kit.i18n import translate
from finlife.kit.jobs.models import Job, JobStatus
from finlife.kit.permissions import Capability, may

# A running job writes its row at least every HEARTBEAT_SECONDS (kit.jobs.runner); one not heard of
# for this long belongs to a process that died (until another node takes it over: kit.jobs.takeover).
# Set from the settings (``job_stale_seconds``) by ``takeover.configure``.
STALE_AFTER = timedelta(seconds=60)
INTERRUPTED_CODE = "job_interrupted"
RESUMING = "ui.jobs.resuming"


class JobStage(BaseModel):
    key: str
    params: dict[str, Any]
    text: str  # the key's message in the viewer's language


class JobError(BaseModel):
    code: str
    params: dict[str, Any]
    message: str


class JobOut(BaseModel):
    id: str
    kind: str
    status: JobStatus
    done: int
    total: int
    stage: JobStage
    result: dict[str, Any] | None
    error: JobError | None
    attempts: int  # 1; more once nodes that died running it were taken over (kit.jobs.takeover)
    resumed: bool  # taken over: another node runs (or ran) it after the one that started it stopped
    created_at: datetime
    updated_at: datetime


def job_out(row: Job, language: str) -> JobOut:
    status = JobStatus(row.status)
    error_code, error_params = row.error_code, row.error_params or {}
    stage, stage_params = row.stage, row.stage_params
    if status is JobStatus.RUNNING and clock.now() - row.updated_at > STALE_AFTER:
        if row.parameters is None:  # work only its own node could run: it is over
            status, error_code, error_params = JobStatus.INTERRUPTED, INTERRUPTED_CODE, {}
        else:  # a registered kind: the next node's claimer takes it over (kit.jobs.takeover)
            stage, stage_params = RESUMING, {}
    error = (
        JobError(code=error_code, params=error_params, message=translate(error_code, language, error_params))
        if error_code is not None
        else None
    )
    return JobOut(
        id=row.public_id,
        kind=row.kind,
        status=status,
        done=row.done,
        total=row.total,
        stage=JobStage(key=stage, params=stage_params, text=translate(stage, language, stage_params)),
        result=row.result if status is JobStatus.SUCCEEDED else None,
        error=error,
        attempts=row.attempts,
        resumed=row.attempts > 1,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def get_job(session: Session, actor: Actor, job_id: str, language: str) -> JobOut:
    """The job, for the person who started it or a bank admin; 404 for anybody else (as if unknown)."""
    return job_out(_visible(session, actor, job_id), language)


def result_of(session: Session, actor: Actor, job_id: str, kind: str) -> dict[str, Any] | None:
    """What a job of ``kind`` made, once it has succeeded (the page it leads to shows it); None while
    it runs, if it failed, or if it is of another kind. 404 as ``get_job``."""
    row = _visible(session, actor, job_id)
    return row.result if row.kind == kind and row.status == JobStatus.SUCCEEDED else None


def _visible(session: Session, actor: Actor, job_id: str) -> Job:
    row = session.execute(select(Job).where(Job.public_id == job_id)).scalar_one_or_none()
    mine = row is not None and row.created_by is not None and row.created_by == actor.user_id
    if row is None or not (mine or may(actor, Capability.ALL_JOBS)):
        raise NotFound("job")
    return row
