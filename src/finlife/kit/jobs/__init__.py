"""Background jobs: long work (a settlement run, a reconciliation, seeding the demo) runs in a thread
while a page shows how far it got. ``start`` and ``Progress`` run it (``runner``), ``get_job`` reads
it (``reading``), ``Job`` is its row (``models``). A job of a registered kind (``kinds``) started
with ``start_resumable`` is run again by another node's ``Claimer`` if its node dies (``takeover``).
"""

from finlife.kit.jobs.kinds import JobContext, register, start_resumable
from finlife.kit.jobs.models import Job, JobStatus
from finlife.kit.jobs.reading import STALE_AFTER, JobError, JobOut, JobStage, get_job, job_out, result_of
from finlife.kit.jobs.runner import Progress, Work, start, wait
from finlife.kit.jobs.takeover import Claimer, claim_stale, configure

__all__ = [
    "STALE_AFTER",
    "Claimer",
    "Job",
    "JobContext",
    "JobError",
    "JobOut",
    "JobStage",
    "JobStatus",
    "Progress",
    "Work",
    "claim_stale",
    "configure",
    "get_job",
    "job_out",
    "register",
    "result_of",
    "start",
    "start_resumable",
    "wait",
]
