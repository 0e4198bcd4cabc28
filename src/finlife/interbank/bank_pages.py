"""The bank console's interbank pages: the bank directory (list, add a bank) and reconciliation
(upload the other bank's end-of-day file, read what matched and each exception with its suspense
entry, download the CSV report). The day's net positions and their settlement are settlement's page
(``settlement/interbank_pages.py``); the three share one set of tabs.

They are back-office pages: the bank directory and reconciliation are the bank admin's
(``kit.permissions``: ``bank_directory``, ``reconciliation``), as in the API.

A reconciliation runs as a job (``finlife.kit.jobs``): the upload answers with its progress page
(reading the file, comparing its items, parking the exceptions), which then opens the report.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from finlife.interbank import service
from finlife.interbank.schemas import BankIn
from finlife.jobs.pages import JobKind, progress_redirect, register_kind
from finlife.kit import csvfile, jobs
from finlife.kit.auth import Actor
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.permissions import Capability
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, local_time, page_errors, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import BANK_CONSOLE

router = APIRouter(include_in_schema=False)

Directory = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.BANK_DIRECTORY))]
Reconciler = Annotated[Actor, Depends(PageAccess.to(BANK_CONSOLE, Capability.RECONCILIATION))]

BANKS = "/bank/interbank/banks"
RECONCILIATIONS = "/bank/interbank/reconciliations"
BANK_FIELDS = ("code", "name", "bins", "iso8583_endpoints", "iso20022_url", "timeout_ms")
UPLOAD_FIELDS = ("bank_code", "file", "date")
MAX_FILE_BYTES = 20 * 1024 * 1024
RECONCILIATION_JOB = "reconciliation"
register_kind(JobKind(RECONCILIATION_JOB, "ui.jobs.kind.reconciliation", RECONCILIATIONS))


# The bank directory ---------------------------------------------------------------------------------


def _banks_page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        banks = service.list_banks(session)
    return render(
        request,
        "interbank/bank_directory.html",
        status_code=status_code,
        banks=banks,
        local=local_time,
        **context,
    )


@router.get(BANKS, response_class=HTMLResponse)
def directory(request: Request, actor: Directory) -> HTMLResponse:
    return _banks_page(request)


def split_list(text: str) -> list[str]:
    """Several values typed in one box: separated by commas, spaces or new lines."""
    return [part for part in re.split(r"[\s,，;；]+", text) if part]


def bank_input(values: dict[str, str]) -> BankIn:
    """The form's fields as the API's body; the first field the API refuses is named."""
    try:
        timeout = int(values["timeout_ms"]) if values["timeout_ms"].strip() else 2_000
    except ValueError as exc:
        raise FinlifeError("ui.interbank.field_invalid", status=422, field="timeout_ms") from exc
    try:
        return BankIn(
            code=values["code"].strip().upper(),
            name=values["name"].strip(),
            bins=split_list(values["bins"]),
            iso8583_endpoints=split_list(values["iso8583_endpoints"]),
            iso20022_url=values["iso20022_url"].strip() or None,
            timeout_ms=timeout,
        )
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors() else None
        raise FinlifeError("ui.interbank.field_invalid", status=422, field=field) from exc


@router.post(BANKS, dependencies=[Depends(verify_csrf)])
def add_bank(
    request: Request,
    actor: Directory,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    bins: Annotated[str, Form()] = "",
    iso8583_endpoints: Annotated[str, Form()] = "",
    iso20022_url: Annotated[str, Form()] = "",
    timeout_ms: Annotated[str, Form()] = "",
) -> Response:
    values = {
        "code": code,
        "name": name,
        "bins": bins,
        "iso8583_endpoints": iso8583_endpoints,
        "iso20022_url": iso20022_url,
        "timeout_ms": timeout_ms,
    }
    settings = request.app.state.settings
    outcome = attempt(request, lambda session: service.add_bank(session, settings, actor, bank_input(values)))
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), BANK_FIELDS)
        return _banks_page(request, status_code=refused_status(outcome), errors=errors, values=values)
    return redirect(BANKS, flash="ui.interbank.bank_added")


# Reconciliation -------------------------------------------------------------------------------------


def _reconciliations_page(
    request: Request, actor: Actor, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        banks = service.list_banks(session)
        done = service.list_reconciliations(session, actor)
    return render(
        request,
        "interbank/bank_reconciliations.html",
        status_code=status_code,
        banks=banks,
        reconciliations=done,
        local=local_time,
        **context,
    )


@router.get(RECONCILIATIONS, response_class=HTMLResponse)
def reconciliations(request: Request, actor: Reconciler) -> HTMLResponse:
    return _reconciliations_page(request, actor)


def _file_text(upload: UploadFile | None) -> tuple[str, str]:
    """The uploaded file as text and its name; an empty, oversized or non-UTF-8 file is refused."""
    if upload is None or not upload.filename:
        raise FinlifeError("ui.interbank.file_required", status=422, field="file")
    raw = upload.file.read(MAX_FILE_BYTES + 1)
    if not raw or len(raw) > MAX_FILE_BYTES:
        raise FinlifeError("ui.interbank.file_required", status=422, field="file")
    try:
        return raw.decode("utf-8-sig"), upload.filename
    except UnicodeDecodeError as exc:
        raise FinlifeError(
            "settlement_file_invalid", status=422, field="file", params={"line": 0, "detail": "not UTF-8"}
        ) from exc


def _business_date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise FinlifeError("ui.interbank.field_invalid", status=422, field="date") from exc


def reconcile_file(
    database: Database,
    actor: Actor,
    bank_code: str,
    text: str,
    file_name: str,
    day: date | None,
    progress: jobs.Progress,
) -> dict[str, Any]:
    """The reconciliation job's work: one unit of work, as ``finlife reconcile``, telling its stages."""

    def tell(done: int, total: int, stage: str) -> None:
        progress(done, total, f"ui.jobs.reconcile.{stage}", count=total)

    with database.unit_of_work() as session:
        report = service.reconcile(
            session, actor, bank_code, text, file_name=file_name, business_date=day, progress=tell
        )
    return {"url": f"{RECONCILIATIONS}/{report.id}", "flash": "ui.interbank.reconciled"}


def _reconciliation_job(
    context: jobs.JobContext, parameters: dict[str, Any], progress: jobs.Progress
) -> dict[str, Any]:
    """The reconciliation job as any node runs it (again, if the node that started it died: the
    reconciliation is one transaction, so a death before its commit left nothing, and one after it
    meets the stored report: 409 reconciliation_exists, never a second report)."""
    day = date.fromisoformat(parameters["date"]) if parameters["date"] is not None else None
    return reconcile_file(
        context.database,
        context.actor,
        parameters["bank_code"],
        parameters["text"],
        parameters["file_name"],
        day,
        progress,
    )


jobs.register(
    RECONCILIATION_JOB,
    _reconciliation_job,
    lease=lambda parameters: service.reconciliation_lease(parameters["bank_code"]),
)


@router.post(RECONCILIATIONS, dependencies=[Depends(verify_csrf)])
def upload(
    request: Request,
    actor: Reconciler,
    bank_code: Annotated[str, Form()] = "",
    business_date: Annotated[str, Form(alias="date")] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    values = {"bank_code": bank_code, "date": business_date}
    try:
        if not bank_code:
            raise FinlifeError("ui.bank_code_required", status=422, field="bank_code")
        text, file_name = _file_text(file)
        day = _business_date(business_date)
    except FinlifeError as refused:
        errors = page_errors(refused, language_of(request), UPLOAD_FIELDS)
        return _reconciliations_page(
            request, actor, status_code=refused_status(refused), errors=errors, values=values
        )
    parameters = {
        "bank_code": bank_code,
        "text": text,
        "file_name": file_name,
        "date": day.isoformat() if day is not None else None,
    }
    database: Database = request.app.state.db
    job_id = jobs.start_resumable(database, request.app.state.settings, actor, RECONCILIATION_JOB, parameters)
    return progress_redirect(job_id)


@router.get(RECONCILIATIONS + "/{reconciliation_id}", response_class=HTMLResponse)
def reconciliation(request: Request, reconciliation_id: str, actor: Reconciler) -> HTMLResponse:
    with request.app.state.db.unit_of_work() as session:
        report = service.get_reconciliation(session, actor, reconciliation_id)
    return render(request, "interbank/bank_reconciliation.html", report=report, local=local_time)


@router.get(RECONCILIATIONS + "/{reconciliation_id}/report.csv")
def reconciliation_csv(request: Request, reconciliation_id: str, actor: Reconciler) -> Response:
    """The API's CSV report (``format=csv``), for a browser signed in with its cookie."""
    with request.app.state.db.unit_of_work() as session:
        report = service.get_reconciliation(session, actor, reconciliation_id)
    text = csvfile.for_people(
        service.reconciliation_csv(report),
        language=language_of(request),
        words="csv.reconciliation.",
        money=("their_amount", "our_amount", "difference"),
        worded={
            "status": ("ui.interbank.exception.", "csv.reconciliation.status."),
            "kind": ("ui.interbank.kind.", "csv.reconciliation.kind."),
        },
    )
    day = report.business_date.isoformat()
    return csvfile.csv_download(text, f"reconciliation-{report.bank_code}-{day}.csv")
