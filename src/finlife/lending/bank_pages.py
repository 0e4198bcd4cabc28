"""Loans in the bank console: the review queue (applications waiting, with their rules' results), a
loan's page (the face-to-face identity check, approve, reject with a reason, disburse, write off a
loss with a reason, its journey and schedule) and the portfolio by classification (正常 关注 次级 可疑 损失).

Each action is the API's service under the same capability; the navigation shows the pages to those
who hold ``loans_read``, and a loan's page offers only the buttons its viewer's capabilities allow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.journeys import service as journeys
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability, may
from finlife.lending import review, service
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Reader = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.LOANS_READ))]
Server = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.LOANS_SERVE))]
Officer = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.LOAN_APPROVAL))]

LOANS = "/bank/loans"
PORTFOLIO = "/bank/loan-portfolio"


@router.get(LOANS, response_class=HTMLResponse)
def queue(request: Request, actor: Reader) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        waiting = review.review_queue(session, actor)
    return render(request, "lending/bank_queue.html", waiting=waiting)


@router.get(PORTFOLIO, response_class=HTMLResponse)
def portfolio(request: Request, actor: Reader) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        lines = review.portfolio(session, actor)
    return render(
        request,
        "lending/bank_portfolio.html",
        lines=lines,
        loans=sum(x.loans for x in lines),
        owed=sum(x.principal_outstanding for x in lines),
    )


def _loan_page(
    request: Request, actor: Actor, loan_id: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        facts = review.loan_review(session, actor, loan_id)
        loan = service.get_loan(session, actor, loan_id)
        journey = journeys.get_journey(session, actor, loan.journey_id)
        application = service.get_application(session, actor, loan_id)
    return render(
        request,
        "lending/bank_loan.html",
        status_code=status_code,
        facts=facts,
        loan=loan,
        journey=journey,
        application=application,
        may_serve=may(actor, Capability.LOANS_SERVE),
        may_decide=may(actor, Capability.LOAN_APPROVAL),
        may_write_off=may(actor, Capability.LOAN_APPROVAL)
        and loan.status.value == "active"
        and loan.classification.value == "loss",
        at_branch=actor.channel.value == "branch",
        errors=context.pop("errors", {}),
        values=context.pop("values", {}),
        **context,
    )


@router.get(LOANS + "/{loan_id}", response_class=HTMLResponse)
def loan_page(request: Request, loan_id: str, actor: Reader) -> HTMLResponse:
    return _loan_page(request, actor, loan_id)


def _act(
    request: Request, actor: Actor, loan_id: str, work: Callable[[Session], object], flash: str, **shown: Any
) -> Response:
    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ("reason",))
        return _loan_page(
            request, actor, loan_id, status_code=refused_status(outcome), errors=errors, **shown
        )
    return redirect(f"{LOANS}/{loan_id}", flash=flash)


@router.post(LOANS + "/{loan_id}/identity-verification", dependencies=[Depends(verify_csrf)])
def verify_identity(request: Request, loan_id: str, actor: Server) -> Response:
    work = lambda session: service.verify_identity(session, actor, loan_id)  # noqa: E731
    return _act(request, actor, loan_id, work, "ui.loan.identity_verified")


@router.post(LOANS + "/{loan_id}/approve", dependencies=[Depends(verify_csrf)])
def approve(request: Request, loan_id: str, actor: Officer) -> Response:
    return _act(request, actor, loan_id, lambda s: service.approve(s, actor, loan_id), "ui.loan.approved")


@router.post(LOANS + "/{loan_id}/reject", dependencies=[Depends(verify_csrf)])
def reject(
    request: Request, loan_id: str, actor: Officer, reason: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    def work(session: Session) -> object:
        if not reason.strip():
            raise FinlifeError("ui.loan.reason_required", status=422, field="reason")
        return service.reject(session, actor, loan_id, reason.strip())

    return _act(request, actor, loan_id, work, "ui.loan.rejected", values={"reason": reason})


@router.post(LOANS + "/{loan_id}/disburse", dependencies=[Depends(verify_csrf)])
def disburse(request: Request, loan_id: str, actor: Server) -> Response:
    return _act(request, actor, loan_id, lambda s: service.disburse(s, actor, loan_id), "ui.loan.disbursed")


@router.post(LOANS + "/{loan_id}/write-off", dependencies=[Depends(verify_csrf)])
def write_off(
    request: Request, loan_id: str, actor: Officer, reason: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    def work(session: Session) -> object:
        if not reason.strip():
            raise FinlifeError("ui.loan.write_off_reason_required", status=422, field="reason")
        return service.write_off(session, actor, loan_id, reason.strip())

    return _act(request, actor, loan_id, work, "ui.loan.written_off", values={"reason": reason})
