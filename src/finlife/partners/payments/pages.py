"""/app/partner-payments: the customer confirms or declines the payments partners asked for, through
the same service as ``/v1/me/partner-payments``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from finlife.kit.auth import Actor
from finlife.kit.deps import AppSettings
from finlife.kit.errors import FinlifeError
from finlife.partners.payments import service
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, form_errors, local_time, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
PAGE = "/app/partner-payments"
TEMPLATE = "partners/payments/app_partner_payments.html"


def _page(
    request: Request, actor: Actor, *, status_code: int = 200, errors: dict[str, str] | None = None
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        payments = service.list_for_customer(session, actor)
    awaiting = [p for p in payments if p.status == service.AWAITING]
    others = [p for p in payments if p.status != service.AWAITING]
    return render(
        request,
        TEMPLATE,
        status_code=status_code,
        awaiting=awaiting,
        others=others,
        local=local_time,
        errors=errors or {},
    )


@router.get(PAGE, response_class=HTMLResponse)
def partner_payments(request: Request, actor: Customer) -> HTMLResponse:
    return _page(request, actor)


def _answered(request: Request, actor: Actor, outcome: object, flash: str) -> Response:
    if isinstance(outcome, FinlifeError):
        errors = form_errors(outcome, language_of(request))
        return _page(
            request, actor, status_code=refused_status(outcome), errors={"_form": next(iter(errors.values()))}
        )
    return redirect(PAGE, flash=flash)


@router.post(f"{PAGE}/{{payment_id}}/confirm", dependencies=[Depends(verify_csrf)])
def confirm(request: Request, payment_id: str, settings: AppSettings, actor: Customer) -> Response:
    outcome = attempt(request, lambda session: service.confirm(session, settings, actor, payment_id))
    return _answered(request, actor, outcome, "ui.partner_payments.confirmed")


@router.post(f"{PAGE}/{{payment_id}}/decline", dependencies=[Depends(verify_csrf)])
def decline(request: Request, payment_id: str, actor: Customer) -> Response:
    outcome = attempt(request, lambda session: service.decline(session, actor, payment_id))
    return _answered(request, actor, outcome, "ui.partner_payments.declined")
