"""REST routes of settlement: run a day (bank admin), read statements, a merchant's daily report."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse, Response

from finlife.kit.auth import Access, Actor
from finlife.kit.dates import IsoDate
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.idempotency import fingerprint, idempotency_key, run_once
from finlife.kit.pagination import Page, PageParams, page_params
from finlife.kit.permissions import Capability, access_to
from finlife.settlement import service
from finlife.settlement.schemas import (
    DailyReportOut,
    InterbankPositionOut,
    SettleIn,
    SettlementOut,
    SettlementRunOut,
)

router = APIRouter(tags=["settlement"])

Settler = Annotated[Actor, Depends(access_to(Capability.SETTLEMENT_RUN))]
SettlementReader = Annotated[Actor, Depends(access_to(Capability.SETTLEMENT))]
SignedIn = Annotated[Actor, Depends(Access.signed_in())]
IdempotencyKey = Annotated[str, Depends(idempotency_key)]
Paging = Annotated[PageParams, Depends(page_params)]
CSV = "text/csv"


@router.post(
    "/v1/settlements",
    response_model=SettlementRunOut,
    status_code=201,
    summary="Settle every merchant's takings of a business day (T+1; default yesterday)",
)
def settle(
    body: SettleIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Settler,
    key: IdempotencyKey,
) -> JSONResponse:
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=fingerprint("POST", request.url.path, body),
        status_code=201,
        work=lambda: service.settle_day(session, settings, actor, body.date),
    )


@router.get("/v1/settlements", response_model=Page[SettlementOut], summary="Settlement statements")
def list_settlements(
    session: DbSession,
    actor: SettlementReader,
    paging: Paging,
    business_date: Annotated[IsoDate | None, Query(alias="date")] = None,
) -> Page[SettlementOut]:
    return service.list_settlements(session, actor, paging, business_date=business_date)


@router.get(
    "/v1/merchants/{merchant_id}/settlements",
    response_model=Page[SettlementOut],
    summary="A merchant's settlement statements (owner and bank staff)",
)
def merchant_settlements(
    merchant_id: str, session: DbSession, actor: SignedIn, paging: Paging
) -> Page[SettlementOut]:
    return service.merchant_settlements(session, actor, merchant_id, paging)


@router.get(
    "/v1/merchants/{merchant_id}/reports/daily",
    response_model=DailyReportOut,
    responses={200: {"content": {CSV: {}}}},
    summary="A merchant's day: sales by tender, item and hour, refunds, fees (JSON or CSV)",
)
def daily_report(
    merchant_id: str,
    request: Request,
    session: DbSession,
    actor: SignedIn,
    day: Annotated[IsoDate | None, Query(alias="date")] = None,
    output: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
) -> DailyReportOut | Response:
    report = service.daily_report(session, actor, merchant_id, day)
    wants_csv = output == "csv" or (output is None and CSV in request.headers.get("accept", ""))
    if not wants_csv:
        return report
    filename = f"{report.merchant_id}-{report.date.isoformat()}.csv"
    return Response(
        service.report_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/v1/settlement/interbank",
    response_model=list[InterbankPositionOut],
    responses={200: {"content": {CSV: {}}}},
    summary="Each other bank's net position of a business day (settled, or as it stands), JSON or CSV",
)
def interbank_positions(
    request: Request,
    session: DbSession,
    actor: SettlementReader,
    day: Annotated[IsoDate, Query(alias="date")],
    output: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
) -> list[InterbankPositionOut] | Response:
    positions = service.interbank_positions(session, actor, day)
    wants_csv = output == "csv" or (output is None and CSV in request.headers.get("accept", ""))
    if not wants_csv:
        return positions
    return Response(
        service.positions_csv(positions),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="interbank-{day.isoformat()}.csv"'},
    )
