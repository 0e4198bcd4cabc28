"""The bank console's demo seeding page (/bank/demo), for a bank admin, only where the setting
``FINLIFE_DEMO_TOOLS`` turns it on (``make run`` does; a production bank has no such button).

It seeds what ``finlife demo`` seeds, with the same function (``world.seed_demo_world``), as a job
with a progress bar (``finlife.kit.jobs``): customers, merchants and days of history. Like the
command, it seeds an empty bank only: the demo world's published sign-ins exist once.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from finlife.demo import background, world
from finlife.demo import partners as demo_partners
from finlife.demo.common import DEMO_CUSTOMER_PHONE, DEMO_PASSWORD, DEMO_TELLER
from finlife.jobs.pages import JobKind, progress_redirect, register_kind
from finlife.kit import jobs
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import Conflict, FinlifeError
from finlife.kit.permissions import Capability
from finlife.settings import Settings
from finlife.web.csrf import verify_csrf
from finlife.web.forms import page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

BankAdmin = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.DEMO_DATA))]
DEMO = "/bank/demo"
DEMO_JOB = "demo"
register_kind(JobKind(DEMO_JOB, "ui.jobs.kind.demo", DEMO))


def _demo_job(
    context: jobs.JobContext, parameters: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    """The seeding job as any node runs it. Under the lease, the bank is checked empty again: another
    node's seeding may have filled it meanwhile (409 ui.demo.not_empty). A job taken over from a node
    that died part-way (a later start) carries its seed and day: it resumes, drawing the same world and
    making only what the dead node had not (world, steps)."""
    if not _resuming(context, parameters, progress.job_id) and not world.is_empty(context.database):
        raise Conflict("ui.demo.not_empty")
    counts = background.Counts(
        customers=parameters["customers"], merchants=parameters["merchants"], days=parameters["days"]
    )
    drawn = background.Drawn(seed=parameters.get("seed", world.DEFAULT_SEED), until=parameters.get("until"))
    made = background.seed(context.settings, counts, progress, drawn)
    return {"url": f"{DEMO}?job={progress.job_id}", "made": made}


def _resuming(context: jobs.JobContext, parameters: dict[str, Any], job_id: str) -> bool:
    """A later start of a job that records its seed: the same world, picked up where it stopped."""
    if "seed" not in parameters:
        return False  # started before seeds were recorded: never seeded over part of a world
    with context.database.unit_of_work() as session:
        return jobs.get_job(session, context.actor, job_id, "en").attempts > 1


jobs.register(DEMO_JOB, _demo_job, lease=lambda _parameters: world.DEMO_LEASE)

# Small by default: a page waits for it. ``finlife demo`` seeds the full-sized world.
DEFAULTS = background.Counts(customers=10, merchants=3, days=7)
LOWEST = background.Counts(customers=2, merchants=0, days=1)
HIGHEST = background.Counts(customers=200, merchants=50, days=90)
FIELDS = ("customers", "merchants", "days")


def _count(field: str, text: str) -> int:
    low, high = getattr(LOWEST, field), getattr(HIGHEST, field)
    refused = FinlifeError(
        "ui.demo.number_invalid", status=422, field=field, params={"low": low, "high": high}
    )
    try:
        value = int(text.strip())
    except ValueError as exc:
        raise refused from exc
    if not low <= value <= high:
        raise refused
    return value


def _page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    database: Database = request.app.state.db
    return render(
        request,
        "demo/seed.html",
        status_code=status_code,
        empty=world.is_empty(database),
        defaults=DEFAULTS,
        highest=HIGHEST,
        **context,
    )


def _made(request: Request, actor: Actor, job_id: str) -> dict[str, Any]:
    with request.app.state.db.unit_of_work() as session:
        result = jobs.result_of(session, actor, job_id, DEMO_JOB)
    if result is None:
        return {}
    sign_in = {"phone": DEMO_CUSTOMER_PHONE, "teller": DEMO_TELLER, "password": DEMO_PASSWORD}
    partner = {
        "client_id": demo_partners.demo_partner_client_id(request.app.state.db),
        "secret": demo_partners.DEMO_PARTNER_SECRET,
        "name": demo_partners.PLANS[0].name,
    }
    return {"made": result["made"], "sign_in": sign_in, "partner": partner}


@router.get(DEMO, response_class=HTMLResponse)
def demo(
    request: Request, actor: BankAdmin, job: Annotated[str | None, Query(max_length=32)] = None
) -> HTMLResponse:
    return _page(request, **(_made(request, actor, job) if job else {}))


@router.post(DEMO, dependencies=[Depends(verify_csrf)])
def seed(
    request: Request,
    actor: BankAdmin,
    customers: Annotated[str, Form()] = "",
    merchants: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
) -> Response:
    values = {"customers": customers, "merchants": merchants, "days": days}
    database: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    try:
        counts = background.Counts(
            customers=_count("customers", customers),
            merchants=_count("merchants", merchants),
            days=_count("days", days),
        )
        if not world.is_empty(database):
            raise Conflict("ui.demo.not_empty")
    except FinlifeError as refused:
        errors = page_errors(refused, language_of(request), FIELDS)
        return _page(request, status_code=refused_status(refused), errors=errors, values=values)

    parameters = {
        "customers": counts.customers,
        "merchants": counts.merchants,
        "days": counts.days,
        # The world's draw and its last day: a node taking the job over seeds the same world.
        "seed": secrets.randbelow(2**31),
        "until": clock.business_day(clock.now()).isoformat(),
    }
    return progress_redirect(jobs.start_resumable(database, settings, actor, DEMO_JOB, parameters))
