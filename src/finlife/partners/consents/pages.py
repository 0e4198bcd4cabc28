"""Consents in the pages: the customer's list with a revoke button (``/app/consents``) and, on the
teller's customer page (accounts plugs sections in), the customer's consents for staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountOut
from finlife.kit.auth import Actor
from finlife.kit.deps import DbSession
from finlife.partners.consents import service
from finlife.web.csrf import verify_csrf
from finlife.web.forms import local_time
from finlife.web.pages import PageAccess
from finlife.web.render import redirect, render, render_fragment
from finlife.web.shells import CUSTOMER_APP

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
CONSENTS = "/app/consents"


@router.get(CONSENTS, response_class=HTMLResponse)
def my_consents(request: Request, session: DbSession, actor: Customer) -> HTMLResponse:
    consents = service.my_consents(session, actor)
    assert actor.customer_id is not None  # PageAccess(CUSTOMER_APP) admits customers only
    shown = _accounts_by_id(request, session, actor, actor.customer_id)
    return render(
        request, "partners/consents/app_list.html", consents=consents, accounts=shown, local=local_time
    )


@router.post(CONSENTS + "/{consent_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke(consent_id: str, session: DbSession, actor: Customer) -> Response:
    service.revoke_mine(session, actor, consent_id)
    return redirect(CONSENTS, flash="ui.consents.revoked")


def customer_section(request: Request, session: Session, actor: Actor, customer_id: str) -> Markup:
    """The customer's consents (answered ones, newest first) on the teller's customer page."""
    consents = service.customer_consents(session, actor, customer_id)
    shown = _accounts_by_id(request, session, actor, customer_id)
    return render_fragment(
        request, "partners/consents/bank_section.html", consents=consents, accounts=shown, local=local_time
    )


def _accounts_by_id(
    request: Request, session: Session, actor: Actor, customer_id: str
) -> dict[str, AccountOut]:
    """The customer's accounts, so a consent names them as people know them (class and masked number),
    not by their ids."""
    settings = request.app.state.settings
    owned = accounts.list_customer_accounts(session, settings, actor, customer_id).data
    return {account.id: account for account in owned}
