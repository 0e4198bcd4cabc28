"""The bank console's progress page (/bank/jobs/{id}): a job's progress bar while it runs, then the
page of its result (or why it failed).

A page that starts long work (the settle action, a reconciliation upload, demo seeding) starts a job
(``finlife.kit.jobs.start``) and answers ``progress_redirect(job_id)``; its module registers the
job's kind once (``register_kind``): the page's title and where "back" leads. The page polls
``GET /v1/jobs/{id}`` (``progress.js``); without script it refreshes itself every few seconds. When
the job has succeeded, this page answers 303 to the result's ``url`` (with its ``flash``, if any).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from finlife.kit import jobs
from finlife.kit.auth import Actor
from finlife.kit.i18n import CATALOGUE, translate
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, local_path, redirect, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

BankStaff = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE))]
JOBS = "/bank/jobs"
NO_SCRIPT_REFRESH_SECONDS = 2


@dataclass(frozen=True)
class JobKind:
    name: str  # the job's ``kind``
    title_key: str
    back: str  # the page the job was started from


KINDS: dict[str, JobKind] = {}


def register_kind(kind: JobKind) -> None:
    KINDS[kind.name] = kind


def progress_redirect(job_id: str) -> RedirectResponse:
    """The answer to a form that started a job: its progress page."""
    return redirect(f"{JOBS}/{job_id}")


def progress_line(job: jobs.JobOut) -> str:
    """ "12 / 40 — Settling merchants…", or the stage alone while the amount of work is unknown."""
    if job.total <= 0:
        return job.stage.text
    return f"{job.done} / {job.total} — {job.stage.text}"


@router.get(JOBS + "/{job_id}", response_class=HTMLResponse)
def progress(request: Request, job_id: str, actor: BankStaff) -> Response:
    with request.app.state.db.unit_of_work() as session:
        job = jobs.get_job(session, actor, job_id, language_of(request))
    url = (job.result or {}).get("url")
    if job.status is jobs.JobStatus.SUCCEEDED and isinstance(url, str):
        flash = (job.result or {}).get("flash")
        return redirect(local_path(url, BANK_CONSOLE.home), flash=flash if flash in CATALOGUE else None)
    kind = KINDS.get(job.kind, JobKind(job.kind, "ui.jobs.title", BANK_CONSOLE.home))
    return render(
        request,
        "jobs/progress.html",
        job=job,
        kind=kind,
        title=translate(kind.title_key, language_of(request)),
        line=progress_line(job),
        refresh_seconds=NO_SCRIPT_REFRESH_SECONDS,
    )
