"""REST routes of the money-market fund and the sweep: parse, authorise, call the service.

Subscriptions and redemptions move money: they take an Idempotency-Key (a retry gets the first
answer, never a second order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel
from starlette.responses import JSONResponse

from finlife.kit.auth import Access, Actor
from finlife.kit.deps import DbSession
from finlife.kit.idempotency import (
    OptionalIdempotencyKey,
    create_once,
    fingerprint,
    idempotency_key,
    run_once,
)
from finlife.kit.permissions import Capability, access_to
from finlife.wealth import service
from finlife.wealth.schemas import (
    FundIn,
    FundOut,
    HoldingsOut,
    OrderOut,
    RedemptionIn,
    SubscriptionIn,
    SweepIn,
    SweepOut,
    YieldIn,
    YieldOut,
)

router = APIRouter(tags=["wealth"])

SignedIn = Annotated[Actor, Depends(Access.signed_in())]
FundStaff = Annotated[Actor, Depends(access_to(Capability.FUNDS))]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]


@router.post(
    "/v1/funds", response_model=FundOut, status_code=201, summary="List a money-market fund for sale"
)
def create_fund(
    body: FundIn, request: Request, session: DbSession, actor: FundStaff, key: OptionalIdempotencyKey
) -> FundOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_fund(
            session, actor, code=body.code, name=body.name, currency=body.currency
        ),
    )


@router.get("/v1/funds", response_model=list[FundOut], summary="The funds for sale, with their latest yield")
def list_funds(session: DbSession, actor: SignedIn) -> list[FundOut]:
    return service.list_funds(session)


@router.post(
    "/v1/funds/{fund_id}/yields",
    response_model=YieldOut,
    status_code=201,
    summary="Publish a business day's income per 10,000 units and 7-day yield",
)
def publish_yield(fund_id: str, body: YieldIn, session: DbSession, actor: FundStaff) -> YieldOut:
    return service.publish_yield(
        session, actor, fund_id, day=body.date, per_10k=body.per_10k, seven_day=body.seven_day
    )


def _once(
    session: DbSession,
    actor: Actor,
    key: str,
    request: Request,
    body: BaseModel,
    work: Callable[[], BaseModel],
) -> JSONResponse:
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=work,
    )


@router.post(
    "/v1/funds/{fund_id}/subscriptions",
    response_model=OrderOut,
    status_code=201,
    summary="Buy units with an account's money (1 fen buys 1 fen-unit)",
)
def subscribe(
    fund_id: str,
    body: SubscriptionIn,
    request: Request,
    session: DbSession,
    actor: SignedIn,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session,
        actor,
        key,
        request,
        body,
        lambda: service.subscribe(session, actor, fund_id, account_id=body.account_id, amount=body.amount),
    )


@router.post(
    "/v1/funds/{fund_id}/redemptions",
    response_model=OrderOut,
    status_code=201,
    summary="Sell units: fast (T+0, 10,000.00 CNY a day) or normal (the next business day)",
)
def redeem(
    fund_id: str,
    body: RedemptionIn,
    request: Request,
    session: DbSession,
    actor: SignedIn,
    key: IdempotencyKey,
) -> JSONResponse:
    return _once(
        session,
        actor,
        key,
        request,
        body,
        lambda: service.redeem(
            session, actor, fund_id, account_id=body.account_id, amount=body.amount, speed=body.speed
        ),
    )


@router.get(
    "/v1/me/holdings", response_model=HoldingsOut, summary="My fund holdings, daily income and yields"
)
def my_holdings(session: DbSession, actor: SignedIn) -> HoldingsOut:
    return service.my_holdings(session, actor)


@router.put(
    "/v1/accounts/{account_id}/sweep", response_model=SweepOut, summary="Switch on the account's sweep"
)
def set_sweep(account_id: str, body: SweepIn, session: DbSession, actor: SignedIn) -> SweepOut:
    return service.set_sweep(session, actor, account_id, fund_id=body.fund_id, keep=body.keep)


@router.get("/v1/accounts/{account_id}/sweep", response_model=SweepOut, summary="The account's sweep")
def get_sweep(account_id: str, session: DbSession, actor: SignedIn) -> SweepOut:
    return service.get_sweep(session, actor, account_id)


@router.delete(
    "/v1/accounts/{account_id}/sweep",
    status_code=204,
    response_class=Response,
    summary="Switch the sweep off",
)
def clear_sweep(account_id: str, session: DbSession, actor: SignedIn) -> None:
    service.clear_sweep(session, actor, account_id)
