"""The bank console's end of day (/bank/interbank): each other bank's deferred net position of a
business day from its clearing account (what ``GET /v1/settlement/interbank`` answers),
the settle action and the CSV report. The settle action is offered while a bank's position or a
merchant's takings of the day are still unsettled, with or without other banks connected.

The settle action is ``finlife settle`` run as a job (``finlife.kit.jobs``) with its progress page:
each merchant's takings up to that day, one merchant per transaction, then each bank's position of
the day (once per merchant and day, once per bank and day). Then the page of that day says what the
run did (``?job=``): merchants settled and their totals, how many banks it settled, how many were
settled already, and the totals we pay and are paid.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.jobs.pages import JobKind, progress_redirect, register_kind
from finlife.kit import csvfile, jobs
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability, may, require
from finlife.settings import Settings
from finlife.settlement import service
from finlife.settlement.schemas import InterbankPositionOut
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

BankStaff = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.SETTLEMENT))]
POSITIONS = "/bank/interbank"
SETTLEMENT_JOB = "settlement"
register_kind(JobKind(SETTLEMENT_JOB, "ui.jobs.kind.settlement", POSITIONS))


def _settle_job(
    context: jobs.JobContext, parameters: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    """The settle job as any node runs it (again, if the node that started it died: each merchant's
    day and each bank's position are settled once, so a second run settles only what is left)."""
    day = date.fromisoformat(parameters["date"])
    return settle_run(context.database, context.actor, day, parameters["merchant_ids"], progress)


jobs.register(SETTLEMENT_JOB, _settle_job, lease=lambda _parameters: service.SETTLEMENT_LEASE)


@dataclass(frozen=True)
class RunSummary:
    """What one press of "settle" did."""

    settled_now: int
    settled_before: int
    we_pay: int  # fen, the sum of the negative nets settled now, as a positive amount
    they_pay: int

    @property
    def total(self) -> int:
        return self.settled_now + self.settled_before


@dataclass(frozen=True)
class MerchantsSummary:
    """What the run did for merchants (``settlement.summarise``, as ``finlife settle`` prints it)."""

    merchants: int
    statements: int
    net: int
    fees: int
    held: int


def run_summary(before: list[InterbankPositionOut], after: list[InterbankPositionOut]) -> RunSummary:
    already = {p.bank_code for p in before if p.settled}
    now = [p for p in after if p.settled and p.bank_code not in already]
    return RunSummary(
        settled_now=len(now),
        settled_before=len(already),
        we_pay=sum(-p.net for p in now if p.net < 0),
        they_pay=sum(p.net for p in now if p.net > 0),
    )


# How far back the page looks for a day another bank's position was left unsettled.
LOOKBACK_DAYS = 7


def _day_to_settle(request: Request, actor: Actor) -> date:
    """The day the page opens on: the oldest of the last week whose position with another bank had
    activity and was not settled, else the latest day that may be settled (today less the T+1 lag,
    through which a merchants' run settles everything still awaiting)."""
    latest = service.latest_settleable(request.app.state.settings)
    with request.app.state.db.unit_of_work() as session:
        for back in range(LOOKBACK_DAYS, 0, -1):
            day = latest - timedelta(days=back)
            positions = service.interbank_positions(session, actor, day)
            if any(
                not p.settled and (p.card_count or p.transfers_out_count or p.transfers_in_count)
                for p in positions
            ):
                return day
    return latest


def _day(text: str | None) -> date:
    if not text:
        return clock.business_day()
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise FinlifeError("validation_error", status=422) from exc


def _page(
    request: Request, actor: Actor, day: date, *, status_code: int = 200, **context: object
) -> HTMLResponse:
    may_settle = may(actor, Capability.SETTLEMENT_RUN)
    with request.app.state.db.unit_of_work() as session:
        positions = service.interbank_positions(session, actor, day)
        # Merchants settle on this page too: a bank with no other bank connected still closes its days.
        awaiting = service.merchants_awaiting(session, request.app.state.settings, day) if may_settle else 0
    today = clock.business_day()
    return render(
        request,
        "settlement/interbank.html",
        status_code=status_code,
        day=day,
        today=today,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1) if day < today else None,
        positions=positions,
        open_count=sum(not p.settled for p in positions),
        merchants_awaiting=awaiting,
        may_settle=may_settle,
        **context,
    )


def _finished_run(request: Request, actor: Actor, job_id: str) -> dict[str, Any]:
    """The summaries of a settle job that succeeded (the page's ``?job=``), for its starter or an admin."""
    with request.app.state.db.unit_of_work() as session:
        result = jobs.result_of(session, actor, job_id, SETTLEMENT_JOB)
    if result is None:
        return {}
    return {
        "summary": RunSummary(**result["banks"]),
        "merchants": MerchantsSummary(**result["merchants"]),
    }


@router.get(POSITIONS, response_class=HTMLResponse)
def positions(
    request: Request,
    actor: BankStaff,
    day: Annotated[str | None, Query(alias="date", max_length=10)] = None,
    job: Annotated[str | None, Query(max_length=32)] = None,
) -> HTMLResponse:
    finished = _finished_run(request, actor, job) if job else {}
    return _page(request, actor, _day(day) if day else _day_to_settle(request, actor), **finished)


@router.get(POSITIONS + "/report.csv")
def positions_csv(
    request: Request, actor: BankStaff, day: Annotated[str | None, Query(alias="date", max_length=10)] = None
) -> Response:
    chosen = _day(day)
    with request.app.state.db.unit_of_work() as session:
        report = service.positions_csv(service.interbank_positions(session, actor, chosen))
    money = ("card_amount", "transfers_out_amount", "transfers_in_amount", "other_amount", "movement")
    text = csvfile.for_people(
        report,
        language=language_of(request),
        words="csv.positions.",
        money=(*money, "interchange", "net"),
        worded={"direction": ("csv.positions.direction.",), "settled": ("csv.positions.settled.",)},
    )
    return csvfile.csv_download(text, f"interbank-{chosen.isoformat()}.csv")


def settle_run(
    database: Database, actor: Actor, day: date, merchant_ids: list[str], progress: jobs.Progress
) -> dict[str, Any]:
    """The settle job's work: ``finlife settle`` with progress. One transaction per merchant, as the
    command: a merchant that fails stops the run and leaves those before it settled."""
    with database.unit_of_work() as session:
        before = service.interbank_positions(session, actor, day)
    total = len(merchant_ids)
    progress(0, total, "ui.jobs.settle.merchants")
    outcomes = service.settle_one_by_one(
        database, actor, day, merchant_ids, lambda done, _: progress(done, total, "ui.jobs.settle.merchants")
    )
    progress(total, total, "ui.jobs.settle.interbank")
    with database.unit_of_work() as session:
        after = service.settle_interbank(session, actor, day)
    merchants = service.summarise(day, outcomes)
    return {
        "url": f"{POSITIONS}?date={day.isoformat()}&job={progress.job_id}",
        "banks": asdict(run_summary(before, after)),
        "merchants": asdict(
            MerchantsSummary(
                merchants=merchants.merchants_settled,
                statements=merchants.statements,
                net=merchants.net,
                fees=merchants.fees_charged,
                held=len(merchants.held),
            )
        ),
    }


@router.post(POSITIONS + "/settle", dependencies=[Depends(verify_csrf)])
def settle(request: Request, actor: BankStaff, day: Annotated[str, Form(alias="date")] = "") -> Response:
    chosen = _day(day)
    database: Database = request.app.state.db
    settings: Settings = request.app.state.settings

    def plan(session: Session) -> list[str]:
        require(actor, Capability.SETTLEMENT_RUN)
        # A day still under way would settle takings and a position that keep moving (422).
        _, merchant_ids = service.merchants_to_settle(session, settings, chosen)
        return merchant_ids

    outcome = attempt(request, plan)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("date",))
        return _page(request, actor, chosen, status_code=refused_status(outcome), errors=errors)
    parameters = {"date": chosen.isoformat(), "merchant_ids": outcome}
    return progress_redirect(jobs.start_resumable(database, settings, actor, SETTLEMENT_JOB, parameters))
