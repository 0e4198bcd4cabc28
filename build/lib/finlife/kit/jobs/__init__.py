"""Background jobs: long work (a settlement run, a reconciliation, seeding the demo) runs in a thread
while a page shows how far it got. ``start`` and ``Progress`` run it (``runner``), ``get_job`` reads
it (``reading``), ``Job`` is its row (``models``).
"""

from finlife.kit.jobs.models import Job, JobStatus
from finlife.kit.jobs.reading import STALE_AFTER, JobError, JobOut, JobStage, get_job, job_out, result_of
from finlife.kit.jobs.runner import Progress, Work, start, wait

__all__ = [
    "STALE_AFTER",
    "Job",
    "JobError",
    "JobOut",
    "JobStage",
    "JobStatus",
    "Progress",
    "Work",
    "get_job",
    "job_out",
    "result_of",
    "start",
    "wait",
]
