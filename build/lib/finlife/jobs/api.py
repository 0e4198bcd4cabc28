"""REST route of jobs: how far a job got, polled by its progress page (cookie) or by a program."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from finlife.kit import jobs
from finlife.kit.auth import Access, Actor
from finlife.kit.deps import DbSession
from finlife.kit.i18n import negotiate

router = APIRouter(tags=["jobs"])

# The starter or a bank admin (the service hides anybody else's job); the progress page polls with
# its session cookie, a program with its bearer token.
SignedIn = Annotated[Actor, Depends(Access.signed_in(cookie=True))]


@router.get(
    "/v1/jobs/{job_id}",
    response_model=jobs.JobOut,
    summary="A background job: status, progress and stage (in the Accept-Language), result or error",
)
def get_job(job_id: str, request: Request, session: DbSession, actor: SignedIn) -> JSONResponse:
    language = negotiate(request.headers.get("accept-language"))
    job = jobs.get_job(session, actor, job_id, language)
    # A poll must see the job as it is now, never a cached answer.
    return JSONResponse(job.model_dump(mode="json"), headers={"Cache-Control": "no-store"})
