"""REST routes of the interbank module: the bank directory, interbank transfers (status, inbound
pacs.008). ``POST /v1/transfers`` itself is the accounts route."""

from __future__ import annotations

import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from finlife.interbank import service
from finlife.interbank.schemas import BankIn, BankOut, OtherBankTransferOut, ReconciliationOut
from finlife.kit import iso20022
from finlife.kit.auth import Access, Actor, Role
from finlife.kit.dates import IsoDate
from finlife.kit.deps import AppSettings, DbSession
from finlife.kit.errors import RuleViolation
from finlife.kit.idempotency import HEADER, OptionalIdempotencyKey, create_once, fingerprint, once
from finlife.kit.permissions import Capability, access_to

router = APIRouter(tags=["interbank"])

Directory = Annotated[Actor, Depends(access_to(Capability.BANK_DIRECTORY))]
SignedIn = Annotated[Actor, Depends(Access.signed_in())]
Reconciler = Annotated[Actor, Depends(access_to(Capability.RECONCILIATION))]
# Another bank's gateway signs in as a partner (service) login.
Network = Annotated[Actor, Depends(Access(Role.PARTNER, Role.BANK_ADMIN))]


@router.get("/v1/banks", response_model=list[BankOut], summary="The bank directory")
def list_banks(session: DbSession, actor: Directory) -> list[BankOut]:
    return service.list_banks(session)


@router.post("/v1/banks", response_model=BankOut, status_code=201, summary="Add another bank")
def add_bank(
    body: BankIn,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    actor: Directory,
    key: OptionalIdempotencyKey,
) -> BankOut | JSONResponse:
    return create_once(
        session,
        request,
        actor=actor,
        key=key,
        body=body,
        work=lambda: service.add_bank(session, settings, actor, body),
    )


@router.get(
    "/v1/transfers/{transfer_id}", response_model=OtherBankTransferOut, summary="One interbank transfer"
)
def get_transfer(transfer_id: str, session: DbSession, actor: SignedIn) -> OtherBankTransferOut:
    return service.get_transfer(session, actor, transfer_id)


@router.post(
    "/v1/interbank/pacs.008",
    summary="Receive a credit transfer from another bank (ISO 20022 pacs.008 in, pacs.002 out)",
    response_class=Response,
    responses={200: {"content": {iso20022.CONTENT_TYPE: {}}}},
)
async def receive_pacs008(request: Request, actor: Network) -> Response:
    body = await request.body()
    database = request.app.state.db
    settings = request.app.state.settings

    def _receive() -> bytes:
        with database.unit_of_work() as session:
            return service.receive_transfer(session, settings, body)

    try:
        answer = await run_in_threadpool(_receive)
    except iso20022.MessageError as exc:
        raise RuleViolation("iso20022_invalid", params={"detail": str(exc)}) from exc
    return Response(answer, media_type=iso20022.CONTENT_TYPE)


CSV = "text/csv"
MAX_FILE_BYTES = 20 * 1024 * 1024


def _report(report: ReconciliationOut, request: Request, output: str | None) -> ReconciliationOut | Response:
    if not (output == "csv" or (output is None and CSV in request.headers.get("accept", ""))):
        return report
    filename = f"reconciliation-{report.bank_code}-{report.business_date.isoformat()}.csv"
    return Response(
        service.reconciliation_csv(report),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post(
    "/v1/reconciliations",
    response_model=ReconciliationOut,
    status_code=201,
    responses={201: {"content": {CSV: {}}}},
    summary="Reconcile another bank's end-of-day settlement file (CSV upload) with our records",
)
def upload_reconciliation(
    request: Request,
    session: DbSession,
    actor: Reconciler,
    bank_code: Annotated[str, Form(min_length=2, max_length=16)],
    file: Annotated[UploadFile, File()],
    key: OptionalIdempotencyKey,
    business_date: Annotated[IsoDate | None, Form(alias="date")] = None,
    output: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
) -> ReconciliationOut | Response:
    raw = file.file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise RuleViolation(
            "settlement_file_invalid", field="file", params={"line": 0, "detail": "too large"}
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RuleViolation(
            "settlement_file_invalid", field="file", params={"line": 0, "detail": "not UTF-8"}
        ) from exc

    def work() -> ReconciliationOut:
        return service.reconcile(
            session, actor, bank_code, text, file_name=file.filename or "", business_date=business_date
        )

    headers: dict[str, str] = {}
    if key is None:
        report = work()
    else:  # the file is in the fingerprint by its digest; a retry gets the first reconciliation
        wanted = {"bank_code": bank_code, "date": str(business_date), "file": hashlib.sha256(raw).hexdigest()}
        outcome = once(
            session,
            scope=actor.user_id or "anonymous",
            key=key,
            request_fingerprint=fingerprint("POST", request.url.path, wanted),
            status_code=201,
            work=work,
        )
        report = ReconciliationOut.model_validate(outcome.body)
        headers = {HEADER: key, **({"Idempotent-Replayed": "true"} if outcome.replayed else {})}
    answer = _report(report, request, output)
    if isinstance(answer, Response):
        answer.status_code = 201
        answer.headers.update(headers)
        return answer
    return JSONResponse(answer.model_dump(mode="json"), status_code=201, headers=headers)


@router.get(
    "/v1/reconciliations/{reconciliation_id}",
    response_model=ReconciliationOut,
    responses={200: {"content": {CSV: {}}}},
    summary="One reconciliation with its exceptions (JSON or CSV)",
)
def get_reconciliation(
    reconciliation_id: str,
    request: Request,
    session: DbSession,
    actor: Reconciler,
    output: Annotated[Literal["json", "csv"] | None, Query(alias="format")] = None,
) -> ReconciliationOut | Response:
    return _report(service.get_reconciliation(session, actor, reconciliation_id), request, output)
