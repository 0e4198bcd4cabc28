"""The owner's page of credit from takings in /merchant: today's offer, the rule it came from, and
the form that accepts it (with an idempotency key: a second click replays the first answer)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from finlife.kit.auth import Actor, Role
from finlife.kit.errors import FinlifeError, NotFound
from finlife.merchants import service as merchants
from finlife.merchants.schemas import MemberRole
from finlife.takings_credit import rule, service
from finlife.takings_credit.schemas import AcceptIn
from finlife.web.csrf import verify_csrf
from finlife.web.forms import move_money, new_form_key, page_errors, parse_amount, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

Owner = Annotated[Actor, Depends(PageAccess(MERCHANT_CONSOLE, Role.MERCHANT_OWNER))]
PAGE = "/merchant/credit"


def _merchant_id(request: Request, actor: Actor) -> str:
    with request.app.state.db.unit_of_work() as session:
        owned = [m for m in merchants.merchants_of(session, actor) if m.role == MemberRole.OWNER]
    if not owned:
        raise NotFound("merchant")
    return owned[0].merchant_id


def _page(request: Request, actor: Actor, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    merchant_id = _merchant_id(request, actor)
    with request.app.state.db.unit_of_work() as session:
        offer = service.credit_offer(session, actor, merchant_id, language_of(request))
    context.setdefault("key", new_form_key())
    context.setdefault("errors", {})
    context.setdefault("amount", f"{offer.limit // 100}" if offer.eligible else "")
    return render(
        request,
        "takings_credit/credit.html",
        status_code=status_code,
        offer=offer,
        needed=rule.MIN_DAYS_WITH_TAKINGS,
        **context,
    )


@router.get(PAGE, response_class=HTMLResponse)
def credit_page(request: Request, actor: Owner) -> HTMLResponse:
    return _page(request, actor)


Text = Annotated[str, Form()]


@router.post(f"{PAGE}/accept", dependencies=[Depends(verify_csrf)])
def accept(request: Request, actor: Owner, amount: Text = "", idempotency_key: Text = "") -> Response:
    merchant_id = _merchant_id(request, actor)
    try:
        fen = parse_amount(amount)
    except FinlifeError as error:
        return _refused(request, actor, error, amount, idempotency_key)
    outcome = move_money(
        request,
        actor,
        key=idempotency_key,
        body={"merchant_id": merchant_id, "amount": fen},
        work=lambda session: service.accept_offer(session, actor, merchant_id, AcceptIn(amount=fen)),
    )
    if isinstance(outcome, FinlifeError):
        return _refused(request, actor, outcome, amount, idempotency_key or new_form_key())
    return redirect(PAGE, flash="takings_credit.accepted")


def _refused(request: Request, actor: Actor, error: FinlifeError, amount: str, key: str) -> HTMLResponse:
    errors = page_errors(error, language_of(request), ("amount",))
    return _page(request, actor, status_code=refused_status(error), errors=errors, amount=amount, key=key)
