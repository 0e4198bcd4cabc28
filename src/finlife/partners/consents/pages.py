"""Consents in the pages: the customer's list with a revoke button (``/app/consents``) and, on the
teller's customer page (accounts plugs sections in), the customer's consents for staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

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
    return render(request, "partners/consents/app_list.html", consents=consents, local=local_time)


@router.post(CONSENTS + "/{consent_id}/revoke", dependencies=[Depends(verify_csrf)])
def revoke(consent_id: str, session: DbSession, actor: Customer) -> Response:
    service.revoke_mine(session, actor, consent_id)
    return redirect(CONSENTS, flash="ui.consents.revoked")


def customer_section(request: Request, session: Session, actor: Actor, customer_id: str) -> Markup:
    """The customer's consents (answered ones, newest first) on the teller's customer page."""
    consents = service.customer_consents(session, actor, customer_id)
    return render_fragment(
        request, "partners/consents/bank_section.html", consents=consents, local=local_time
    )
