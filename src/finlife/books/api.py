"""REST routes of the merchant's books: owner entries, the reports (JSON, CSV or XLSX), the
reconciliation. The owner reads and writes; bank staff who serve merchants read; cashiers get 403."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse, Response

from finlife.books import exports, service
from finlife.books.schemas import (
    CashflowOut,
    CategoryOut,
    EntryIn,
    EntryOut,
    PnlOut,
    ReconciliationOut,
    ReturnsOut,
    TakingsOut,
)
from finlife.kit.auth import Actor
from finlife.kit.dates import IsoDate
from finlife.kit.deps import DbSession
from finlife.kit.i18n import negotiate
from finlife.kit.idempotency import OptionalIdempotencyKey, create_once
from finlife.kit.permissions import Capability, access_to

router = APIRouter(tags=["books"])

Reader = Annotated[Actor, Depends(access_to(Capability.MERCHANT_BOOKS))]
From = Annotated[
    IsoDate | None, Query(alias="from", description="First day (Asia/Shanghai); default the 1st")
]
To = Annotated[IsoDate | None, Query(alias="to", description="Last day, included; default today")]
Output = Annotated[Literal["json", "csv", "xlsx"], Query(alias="format")]
FILES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}, exports.XLSX_TYPE: {}}}}
BOOKS = "/v1/merchants/{merchant_id}/books"


def _language(request: Request) -> str:
    return negotiate(request.headers.get("accept-language"))


@router.post(
    f"{BOOKS}/entries",
    response_model=EntryOut,
    status_code=201,
    summary="Book an expense or other income (owner)",
)
def create_entry(
    merchant_id: str,
    body: EntryIn,
    request: Request,
    session: DbSession,
    actor: Reader,
    key: OptionalIdempotencyKey,
) -> EntryOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.create_entry(session, actor, merchant_id, body),
    )


@router.post(
    f"{BOOKS}/entries/{{entry_id}}/reversal",
    response_model=EntryOut,
    status_code=201,
    summary="Reverse an owner's entry (entries are never edited)",
)
def reverse_entry(merchant_id: str, entry_id: str, session: DbSession, actor: Reader) -> EntryOut:
    return service.reverse_entry(session, actor, merchant_id, entry_id)


@router.get(
    f"{BOOKS}/entries", response_model=list[EntryOut], summary="The book's entries of a range of days"
)
def list_entries(
    merchant_id: str, session: DbSession, actor: Reader, start: From = None, end: To = None
) -> list[EntryOut]:
    start, end = service.date_range(start, end)
    return service.list_entries(session, actor, merchant_id, start, end)


@router.get(
    f"{BOOKS}/entries/{{entry_id}}/receipt",
    response_class=Response,
    responses={200: {"content": {"image/png": {}, "image/jpeg": {}, "image/webp": {}}}},
    summary="The receipt picture of an entry",
)
def receipt(merchant_id: str, entry_id: str, session: DbSession, actor: Reader) -> Response:
    data, content_type = service.receipt_of(session, actor, merchant_id, entry_id)
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    return Response(data, media_type=content_type, headers=headers)


@router.get(f"{BOOKS}/categories", response_model=list[CategoryOut], summary="Expense and income categories")
def categories(merchant_id: str, request: Request, session: DbSession, actor: Reader) -> list[CategoryOut]:
    return service.categories(session, actor, merchant_id, _language(request))


@router.get(f"{BOOKS}/pnl", response_model=PnlOut, responses=FILES, summary="Profit and loss by day or month")
def pnl(
    merchant_id: str,
    request: Request,
    session: DbSession,
    actor: Reader,
    start: From = None,
    end: To = None,
    by: Literal["day", "month"] = "day",
    output: Output = "json",
) -> PnlOut | Response:
    report = service.pnl(session, actor, merchant_id, start, end, by)
    if output == "json":
        return report
    name = f"pnl-{report.date_from}-{report.date_to}"
    return exports.respond(exports.pnl_table(report, _language(request)), output, name)


@router.get(
    f"{BOOKS}/cashflow",
    response_model=CashflowOut,
    responses=FILES,
    summary="Cash flow of the settlement account and the cash drawer",
)
def cashflow(
    merchant_id: str,
    request: Request,
    session: DbSession,
    actor: Reader,
    start: From = None,
    end: To = None,
    output: Output = "json",
) -> CashflowOut | Response:
    report = service.cashflow(session, actor, merchant_id, start, end)
    if output == "json":
        return report
    name = f"cashflow-{report.date_from}-{report.date_to}"
    return exports.respond(exports.cashflow_table(report, _language(request)), output, name)


@router.get(
    f"{BOOKS}/takings",
    response_model=TakingsOut,
    responses=FILES,
    summary="Takings by tender, store and hour",
)
def takings(
    merchant_id: str,
    request: Request,
    session: DbSession,
    actor: Reader,
    start: From = None,
    end: To = None,
    output: Output = "json",
) -> TakingsOut | Response:
    report = service.takings(session, actor, merchant_id, start, end)
    if output == "json":
        return report
    name = f"takings-{report.date_from}-{report.date_to}"
    return exports.respond(exports.takings_table(report, _language(request)), output, name)


@router.get(f"{BOOKS}/returns", response_model=ReturnsOut, summary="Fees and the return on coupons")
def returns(
    merchant_id: str, session: DbSession, actor: Reader, start: From = None, end: To = None
) -> ReturnsOut:
    return service.returns(session, actor, merchant_id, start, end)


@router.get(
    f"{BOOKS}/reconciliation",
    response_model=ReconciliationOut,
    summary="The book's settlement-account line against the bank statement, differences listed",
)
def reconciliation(
    merchant_id: str, session: DbSession, actor: Reader, start: From = None, end: To = None
) -> ReconciliationOut:
    return service.reconcile(session, actor, merchant_id, start, end)
