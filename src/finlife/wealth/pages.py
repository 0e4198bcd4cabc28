"""Wealth pages: holdings, daily income, the yield chart, subscribe and redeem, and the sweep
switch, in the customer app (/app/wealth) and for a merchant's owner (/merchant/wealth, the
settlement account's sweep). Forms carry an idempotency key; refusals show next to their field."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountOut
from finlife.kit.auth import Actor, Role
from finlife.kit.errors import FinlifeError, Forbidden
from finlife.kit.idempotency import Outcome
from finlife.merchants import service as merchants
from finlife.settings import Settings
from finlife.wealth import service
from finlife.wealth.charts import yield_chart
from finlife.wealth.schemas import Speed
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, move_money, new_form_key, page_errors, parse_amount, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import CUSTOMER_APP, MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

Customer = Annotated[Actor, Depends(PageAccess(CUSTOMER_APP))]
Owner = Annotated[Actor, Depends(PageAccess(MERCHANT_CONSOLE, Role.MERCHANT_OWNER))]
FIELDS = ("account_id", "fund_id", "amount", "speed", "keep")
APP, MERCHANT = "/app/wealth", "/merchant/wealth"


def _own_accounts(session: Session, settings: Settings, actor: Actor, where: str) -> list[AccountOut]:
    """The app's page offers every account of the customer; the merchant's, its settlement account."""
    if actor.customer_id is None:
        raise Forbidden()
    if where == MERCHANT:
        owned = merchants.merchants_of(session, actor)
        if not owned:
            return []
        merchant = merchants.get_merchant(session, actor, owned[0].merchant_id)
        return [accounts.get_account(session, settings, actor, merchant.settlement_account_id)]
    return list(accounts.list_customer_accounts(session, settings, actor, actor.customer_id).data)


def _page(
    request: Request, actor: Actor, where: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    with request.app.state.db.unit_of_work() as session:
        owned = _own_accounts(session, settings, actor, where)
        holdings = service.my_holdings(session, actor).holdings
        ids = {a.id for a in owned}
        holdings = [h for h in holdings if h.account_id in ids]
        funds = service.list_funds(session)
        sweeps = {a.id: service.find_sweep(session, actor, a.id) for a in owned}
        charts = {f.id: yield_chart(service.yield_history(session, _fund_pk(session, f.id))) for f in funds}
    context.setdefault("key", new_form_key())
    context.setdefault("values", {})
    context.setdefault("errors", {})
    context.setdefault("failed", "")
    template = "wealth/merchant_wealth.html" if where == MERCHANT else "wealth/app_wealth.html"
    names = {a.id: a.number[-4:] for a in owned}
    fund_names = {f.id: f.name for f in funds}
    return render(
        request,
        template,
        status_code=status_code,
        accounts=owned,
        holdings=holdings,
        funds=funds,
        sweeps=sweeps,
        charts=charts,
        names=names,
        fund_names=fund_names,
        fund_options=[(f.id, f.name) for f in funds],
        account_options=[(a.id, a.number) for a in owned],
        base=where,
        **context,
    )


def _fund_pk(session: Session, fund_id: str) -> int:
    from finlife.wealth.funds import find_fund

    return find_fund(session, fund_id).id


@router.get(APP, response_class=HTMLResponse)
def app_wealth(request: Request, actor: Customer) -> HTMLResponse:
    return _page(request, actor, APP)


@router.get(MERCHANT, response_class=HTMLResponse)
def merchant_wealth(request: Request, actor: Owner) -> HTMLResponse:
    return _page(request, actor, MERCHANT)


def _refused(
    request: Request,
    actor: Actor,
    where: str,
    error: FinlifeError,
    values: dict[str, str],
    key: str,
    form: str,
) -> HTMLResponse:
    """The page again with the refusal beside the form that was sent (``form``) and its values."""
    errors = page_errors(error, language_of(request), FIELDS)
    return _page(
        request,
        actor,
        where,
        status_code=refused_status(error),
        errors=errors,
        values=values,
        key=key,
        failed=form,
    )


def _order(
    request: Request, actor: Actor, where: str, kind: str, values: dict[str, str], key: str
) -> Response:
    outcome: Outcome | FinlifeError
    try:
        amount = parse_amount(values["amount"])
        speed = Speed(values.get("speed") or Speed.FAST.value)
    except (FinlifeError, ValueError) as error:
        refusal = error if isinstance(error, FinlifeError) else FinlifeError("ui.amount_invalid", status=422)
        return _refused(request, actor, where, refusal, values, key, kind)
    body = {"fund_id": values["fund_id"], "account_id": values["account_id"], "amount": amount}
    if kind == "subscribe":
        outcome = move_money(
            request,
            actor,
            key=key,
            body=body,
            work=lambda session: service.subscribe(
                session, actor, values["fund_id"], account_id=values["account_id"], amount=amount
            ),
        )
    else:
        body["speed"] = speed.value
        outcome = move_money(
            request,
            actor,
            key=key,
            body=body,
            work=lambda session: service.redeem(
                session, actor, values["fund_id"], account_id=values["account_id"], amount=amount, speed=speed
            ),
        )
    if isinstance(outcome, FinlifeError):
        return _refused(request, actor, where, outcome, values, key or new_form_key(), kind)
    return redirect(where, flash="wealth.done")


def _sweep(request: Request, actor: Actor, where: str, values: dict[str, str], switch: str) -> Response:
    try:
        kept = 0 if values["keep"].strip() in {"", "0"} else parse_amount(values["keep"], field="keep")
    except FinlifeError as error:
        return _refused(request, actor, where, error, values, new_form_key(), "sweep")
    account_id, fund_id = values["account_id"], values["fund_id"]
    outcome: Any
    if switch == "off":
        outcome = attempt(request, lambda session: service.clear_sweep(session, actor, account_id))
    else:
        outcome = attempt(
            request, lambda session: service.set_sweep(session, actor, account_id, fund_id=fund_id, keep=kept)
        )
    if isinstance(outcome, FinlifeError):
        return _refused(request, actor, where, outcome, values, new_form_key(), "sweep")
    return redirect(where, flash="wealth.done")


Text = Annotated[str, Form()]


@router.post(f"{APP}/subscribe", dependencies=[Depends(verify_csrf)])
def app_subscribe(
    request: Request,
    actor: Customer,
    fund_id: Text = "",
    account_id: Text = "",
    amount: Text = "",
    idempotency_key: Text = "",
) -> Response:
    values = {"fund_id": fund_id, "account_id": account_id, "amount": amount}
    return _order(request, actor, APP, "subscribe", values, idempotency_key)


@router.post(f"{MERCHANT}/subscribe", dependencies=[Depends(verify_csrf)])
def merchant_subscribe(
    request: Request,
    actor: Owner,
    fund_id: Text = "",
    account_id: Text = "",
    amount: Text = "",
    idempotency_key: Text = "",
) -> Response:
    values = {"fund_id": fund_id, "account_id": account_id, "amount": amount}
    return _order(request, actor, MERCHANT, "subscribe", values, idempotency_key)


@router.post(f"{APP}/redeem", dependencies=[Depends(verify_csrf)])
def app_redeem(
    request: Request,
    actor: Customer,
    fund_id: Text = "",
    account_id: Text = "",
    amount: Text = "",
    speed: Text = "fast",
    idempotency_key: Text = "",
) -> Response:
    values = {"fund_id": fund_id, "account_id": account_id, "amount": amount, "speed": speed}
    return _order(request, actor, APP, "redeem", values, idempotency_key)


@router.post(f"{MERCHANT}/redeem", dependencies=[Depends(verify_csrf)])
def merchant_redeem(
    request: Request,
    actor: Owner,
    fund_id: Text = "",
    account_id: Text = "",
    amount: Text = "",
    speed: Text = "fast",
    idempotency_key: Text = "",
) -> Response:
    values = {"fund_id": fund_id, "account_id": account_id, "amount": amount, "speed": speed}
    return _order(request, actor, MERCHANT, "redeem", values, idempotency_key)


@router.post(f"{APP}/sweep", dependencies=[Depends(verify_csrf)])
def app_sweep(
    request: Request,
    actor: Customer,
    fund_id: Text = "",
    account_id: Text = "",
    keep: Text = "",
    switch: Text = "on",
) -> Response:
    return _sweep(request, actor, APP, {"fund_id": fund_id, "account_id": account_id, "keep": keep}, switch)


@router.post(f"{MERCHANT}/sweep", dependencies=[Depends(verify_csrf)])
def merchant_sweep(
    request: Request,
    actor: Owner,
    fund_id: Text = "",
    account_id: Text = "",
    keep: Text = "",
    switch: Text = "on",
) -> Response:
    return _sweep(
        request, actor, MERCHANT, {"fund_id": fund_id, "account_id": account_id, "keep": keep}, switch
    )
