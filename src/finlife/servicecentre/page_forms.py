"""The service-centre console's forms: each calls the service in its own unit of work (``attempt``), then
goes back to the page with a toast, or shows the page again with the refusal in words."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.kit.auth import Actor, Channel
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability
from finlife.servicecentre import service
from finlife.servicecentre.pages import CONSOLE, AgentPage, caller_page, case_page
from finlife.servicecentre.schemas import (
    CaseIn,
    CaseOutcome,
    CaseReason,
    CloseIn,
    CouponRestoreIn,
    LimitReviewIn,
)
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])

CardKeeper = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.CARD_FREEZE))]
Checker = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.SERVICE_APPROVAL))]
Text = Annotated[str, Form(max_length=500)]


def _back_to_case(request: Request, actor: Actor, case_id: str, outcome: object, flash: str) -> Response:
    if isinstance(outcome, FinlifeError):
        message = outcome.message(language_of(request))
        return case_page(request, actor, case_id, status_code=refused_status(outcome), error=message)
    return redirect(f"{CONSOLE}/cases/{case_id}", flash=flash)


@router.post(CONSOLE + "/customers/{customer_id}/cases")
def open_case(
    request: Request,
    customer_id: str,
    actor: AgentPage,
    reason: Annotated[str, Form()] = "",
    channel: Annotated[str, Form()] = "call_centre",
    note: Text = "",
) -> Response:
    try:
        body = CaseIn(customer_id=customer_id, reason=CaseReason(reason), channel=Channel(channel), note=note)
    except ValueError:
        error = FinlifeError("validation_error", status=422, field="reason")
        return caller_page(
            request, actor, customer_id, status_code=422, error=error.message(language_of(request))
        )
    outcome = attempt(request, lambda session: service.open_case(session, actor, body))
    if isinstance(outcome, FinlifeError):
        message = outcome.message(language_of(request))
        return caller_page(request, actor, customer_id, status_code=refused_status(outcome), error=message)
    return redirect(f"{CONSOLE}/cases/{outcome.id}", flash="service.done")


@router.post(CONSOLE + "/cases/{case_id}/cards/{card_id}/{change}")
def card_change(
    request: Request, case_id: str, card_id: str, change: Literal["freeze", "unfreeze"], actor: CardKeeper
) -> Response:
    act = service.freeze_card if change == "freeze" else service.unfreeze_card
    outcome = attempt(request, lambda session: act(session, actor, case_id, card_id))
    return _back_to_case(request, actor, case_id, outcome, "service.done")


@router.post(CONSOLE + "/cases/{case_id}/refusals", response_class=HTMLResponse)
def explain_refusals(request: Request, case_id: str, actor: AgentPage) -> Response:
    settings, language = request.app.state.settings, language_of(request)
    outcome = attempt(
        request, lambda session: service.explain_refusals(session, settings, actor, case_id, language)
    )
    if isinstance(outcome, FinlifeError):
        return _back_to_case(request, actor, case_id, outcome, "")
    return case_page(request, actor, case_id, refusals=outcome)


@router.post(CONSOLE + "/cases/{case_id}/code")
def resend_code(request: Request, case_id: str, actor: AgentPage) -> Response:
    settings = request.app.state.settings
    outcome = attempt(request, lambda session: service.resend_code(session, settings, actor, case_id))
    flash = (
        "service.code_sent"
        if not isinstance(outcome, FinlifeError) and outcome.sent
        else "service.code_not_sent"
    )
    return _back_to_case(request, actor, case_id, outcome, flash)


@router.post(CONSOLE + "/cases/{case_id}/coupons/{coupon_id}/restore")
def ask_restoration(
    request: Request, case_id: str, coupon_id: str, actor: AgentPage, note: Text = ""
) -> Response:
    if not note.strip():
        error = FinlifeError("validation_error", status=422, field="note")
        return _back_to_case(request, actor, case_id, error, "")
    body = CouponRestoreIn(coupon_id=coupon_id, note=note.strip())
    outcome = attempt(request, lambda session: service.ask_coupon_restoration(session, actor, case_id, body))
    return _back_to_case(request, actor, case_id, outcome, "service.restore_asked")


@router.post(CONSOLE + "/cases/{case_id}/limit-review")
def limit_review(
    request: Request, case_id: str, actor: AgentPage, account_id: Annotated[str, Form()] = "", note: Text = ""
) -> Response:
    settings = request.app.state.settings
    if not account_id or not note.strip():
        error = FinlifeError("validation_error", status=422, field="note")
        return _back_to_case(request, actor, case_id, error, "")
    body = LimitReviewIn(account_id=account_id, note=note.strip())
    outcome = attempt(
        request, lambda session: service.raise_limit_review(session, settings, actor, case_id, body)
    )
    return _back_to_case(request, actor, case_id, outcome, "service.limit_review_raised")


@router.post(CONSOLE + "/cases/{case_id}/contact")
def add_contact(request: Request, case_id: str, actor: AgentPage, note: Text = "") -> Response:
    outcome = attempt(request, lambda session: service.add_contact(session, actor, case_id, note))
    return _back_to_case(request, actor, case_id, outcome, "service.done")


@router.post(CONSOLE + "/cases/{case_id}/close")
def close_case(
    request: Request, case_id: str, actor: AgentPage, outcome: Annotated[str, Form()] = "", note: Text = ""
) -> Response:
    if outcome not in tuple(CaseOutcome):
        error = FinlifeError("validation_error", status=422, field="outcome")
        return _back_to_case(request, actor, case_id, error, "")
    body = CloseIn(outcome=CaseOutcome(outcome), note=note)
    result = attempt(request, lambda session: service.close_case(session, actor, case_id, body))
    return _back_to_case(request, actor, case_id, result, "service.done")


@router.post(CONSOLE + "/restorations/{restoration_id}/{decision}")
def decide(
    request: Request, restoration_id: str, decision: Literal["approve", "reject"], actor: Checker
) -> Response:
    approve = decision == "approve"
    outcome = attempt(
        request, lambda session: service.decide_restoration(session, actor, restoration_id, approve=approve)
    )
    if isinstance(outcome, FinlifeError):
        return redirect(CONSOLE, flash=outcome.code)
    return redirect(CONSOLE, flash="service.done")
