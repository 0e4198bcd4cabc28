"""The customer's saved payees in the app (/app/payees): masked names and the numbers' last four
digits, each with a delete button. A payee is added from a transfer's confirmation ("保存收款人",
``accounts.transfer_pages``) and picked on the transfer page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from finlife.accounts import saved_payees
from finlife.accounts.pages import Customer
from finlife.kit.errors import FinlifeError
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt
from finlife.web.render import redirect, render

router = APIRouter(include_in_schema=False)

PAYEES = "/app/payees"


@router.get(PAYEES, response_class=HTMLResponse)
def payees_page(request: Request, actor: Customer) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        listed = saved_payees.list_saved_payees(session, actor)
    return render(request, "accounts/app_payees.html", payees=listed)


@router.post(PAYEES + "/{payee_id}/delete", dependencies=[Depends(verify_csrf)])
def delete_payee(request: Request, payee_id: str, actor: Customer) -> Response:
    outcome = attempt(request, lambda session: saved_payees.forget_payee(session, actor, payee_id))
    if isinstance(outcome, FinlifeError):
        raise outcome  # someone else's or already gone: the error page, with the way back
    return redirect(PAYEES, flash="ui.payees.deleted")
