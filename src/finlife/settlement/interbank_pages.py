"""The bank console's interbank net positions (/bank/interbank): each other bank's deferred net
position of a business day from its clearing account (what ``GET /v1/settlement/interbank`` answers),
the settle action (``finlife settle``'s interbank part: once per bank and day) and the CSV report.

After the settle action the page says what the run did: how many banks it settled, how many were
settled already, and the totals we pay and are paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError
from finlife.settlement import service
from finlife.settlement.errors import SettlementDayOpen
from finlife.settlement.schemas import InterbankPositionOut
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

BankStaff = Annotated[Actor, Depends(PageAccess(BANK_CONSOLE, Role.TELLER, Role.BANK_ADMIN))]
POSITIONS = "/bank/interbank"


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


def run_summary(before: list[InterbankPositionOut], after: list[InterbankPositionOut]) -> RunSummary:
    already = {p.bank_code for p in before if p.settled}
    now = [p for p in after if p.settled and p.bank_code not in already]
    return RunSummary(
        settled_now=len(now),
        settled_before=len(already),
        we_pay=sum(-p.net for p in now if p.net < 0),
        they_pay=sum(p.net for p in now if p.net > 0),
    )


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
    with request.app.state.db.unit_of_work() as session:
        positions = service.interbank_positions(session, actor, day)
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
        may_settle=actor.has(Role.BANK_ADMIN),
        **context,
    )


@router.get(POSITIONS, response_class=HTMLResponse)
def positions(
    request: Request, actor: BankStaff, day: Annotated[str | None, Query(alias="date", max_length=10)] = None
) -> HTMLResponse:
    return _page(request, actor, _day(day))


@router.get(POSITIONS + "/report.csv")
def positions_csv(
    request: Request, actor: BankStaff, day: Annotated[str | None, Query(alias="date", max_length=10)] = None
) -> Response:
    chosen = _day(day)
    with request.app.state.db.unit_of_work() as session:
        report = service.positions_csv(service.interbank_positions(session, actor, chosen))
    return Response(
        report,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="interbank-{chosen.isoformat()}.csv"'},
    )


@router.post(POSITIONS + "/settle", dependencies=[Depends(verify_csrf)])
def settle(request: Request, actor: BankStaff, day: Annotated[str, Form(alias="date")] = "") -> Response:
    chosen = _day(day)
    with request.app.state.db.unit_of_work() as session:
        before = service.interbank_positions(session, actor, chosen)

    def work(session: Session) -> list[InterbankPositionOut]:
        latest = clock.business_day() - timedelta(days=1)
        if chosen > latest:  # a day still under way would settle a position that keeps moving
            raise SettlementDayOpen(latest)
        return service.settle_interbank(session, actor, chosen)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("date",))
        return _page(request, actor, chosen, status_code=refused_status(outcome), errors=errors)
    return _page(request, actor, chosen, summary=run_summary(before, outcome))
