"""The merchant console's books: the month's P&L with its daily profit chart (/merchant/books), the
cash flow and the reconciliation (/merchant/books/cashflow), the owner's expenses and income with a
receipt picture (/merchant/books/entries), and the exports (CSV, XLSX).

The owner reads and writes; a cashier's menu has no books and the routes refuse them
(``merchant_books``). Every page calls the API's services, so the figures are the API's figures.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from finlife.books import exports, service
from finlife.books.charts import profit_chart
from finlife.books.errors import ReceiptInvalid
from finlife.books.schemas import EntryIn
from finlife.books.service.entries import RECEIPT_LIMIT
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import CATALOGUE, translate
from finlife.kit.permissions import Capability
from finlife.merchants.pages import console_of
from finlife.web.csrf import verify_csrf
from finlife.web.forms import attempt, page_errors, parse_amount, refused_status
from finlife.web.pages import PageAccess
from finlife.web.render import language_of, redirect, render
from finlife.web.shells import MERCHANT_CONSOLE

router = APIRouter(include_in_schema=False)

Owner = Annotated[Actor, Depends(PageAccess.to(MERCHANT_CONSOLE, Capability.MERCHANT_BOOKS))]
Month = Annotated[str | None, Query(alias="month", max_length=7)]
BOOKS = "/merchant/books"
ENTRIES = BOOKS + "/entries"
CASHFLOW = BOOKS + "/cashflow"
ENTRY_FIELDS = ("kind_category", "amount", "date", "note", "via", "receipt")
MONTH_PATTERN = re.compile(r"(\d{4})-(\d{2})")


def month_range(month: str | None) -> tuple[date, date]:
    """The month asked (YYYY-MM), up to today; this month when none or not a month."""
    today = clock.business_day()
    found = MONTH_PATTERN.fullmatch(month or "")
    start = today.replace(day=1)
    if found and 1 <= int(found[2]) <= 12 and 2000 <= int(found[1]) <= today.year:
        start = date(int(found[1]), int(found[2]), 1)
    end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return start, min(end, today) if start <= today else end


def _shift(start: date, months: int) -> str:
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    return f"{year:04d}-{month + 1:02d}"


def _month_nav(start: date) -> dict[str, Any]:
    today = clock.business_day()
    later = _shift(start, 1)
    return {
        "month": start.strftime("%Y-%m"),
        "previous_month": _shift(start, -1),
        "next_month": later if later <= today.strftime("%Y-%m") else None,
    }


@router.get(BOOKS, response_class=HTMLResponse)
def books_page(request: Request, actor: Owner, month: Month = None) -> HTMLResponse:
    start, end = month_range(month)
    with request.app.state.db.unit_of_work() as session:
        merchant = console_of(session, actor).merchant
        pnl = service.pnl(session, actor, merchant.id, start, end, "day")
        takings = service.takings(session, actor, merchant.id, start, end)
        returns = service.returns(session, actor, merchant.id, start, end)
    return render(
        request,
        "books/books.html",
        merchant=merchant,
        pnl=pnl,
        takings=takings,
        returns=returns,
        chart=profit_chart(pnl.rows),
        active_days=[
            row
            for row in pnl.rows
            if any((row.revenue, row.fees, row.expenses, row.other_income, row.coupon_cost))
        ],
        **_month_nav(start),
    )


@router.get(CASHFLOW, response_class=HTMLResponse)
def cashflow_page(request: Request, actor: Owner, month: Month = None) -> HTMLResponse:
    start, end = month_range(month)
    with request.app.state.db.unit_of_work() as session:
        merchant = console_of(session, actor).merchant
        cashflow = service.cashflow(session, actor, merchant.id, start, end)
        reconciliation = service.reconcile(session, actor, merchant.id, start, end)
    return render(
        request,
        "books/cashflow.html",
        merchant=merchant,
        cashflow=cashflow,
        reconciliation=reconciliation,
        memo_words=lambda memo: memo_words(memo, language_of(request)),
        **_month_nav(start),
    )


_LEDGER_ID = re.compile(r"\b[a-z]{2,5}_[0-9a-z]{8,}\b")


def memo_words(memo: str, language: str) -> str:
    """The bank's memo of a movement for the owner: its kind in words ("settlement" → T+1 结算入账),
    the ids it carries for the bank's staff left out."""
    words = _LEDGER_ID.sub("", memo).split()
    if words and f"books.memo.{words[0]}" in CATALOGUE:
        words[0] = translate(f"books.memo.{words[0]}", language)
    return " ".join(words)


def _entries_page(
    request: Request,
    actor: Actor,
    month: str | None,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    start, end = month_range(month)
    with request.app.state.db.unit_of_work() as session:
        merchant = console_of(session, actor).merchant
        entries = service.list_entries(session, actor, merchant.id, start, end)
        categories = service.categories(session, actor, merchant.id, language_of(request))
    return render(
        request,
        "books/entries.html",
        status_code=status_code,
        merchant=merchant,
        entries=[e for e in entries if e.kind in ("expense", "income", "reversal")],
        reversed_ids={e.reverses for e in entries if e.reverses},
        categories=categories,
        errors=errors or {},
        values=values
        or {"date": clock.business_day().isoformat(), "kind_category": "expense:rent", "via": "owner"},
        today=clock.business_day(),
        receipt_limit_kb=RECEIPT_LIMIT // 1024,
        **_month_nav(start),
    )


@router.get(ENTRIES, response_class=HTMLResponse)
def entries_page(request: Request, actor: Owner, month: Month = None) -> HTMLResponse:
    return _entries_page(request, actor, month)


def _receipt_bytes(upload: UploadFile | None) -> bytes | None:
    if upload is None or not upload.filename:
        return None
    data = upload.file.read(RECEIPT_LIMIT + 1)
    if len(data) > RECEIPT_LIMIT:
        raise ReceiptInvalid(RECEIPT_LIMIT // 1024)
    return data


@router.post(ENTRIES, dependencies=[Depends(verify_csrf)])
def add_entry(
    request: Request,
    actor: Owner,
    kind_category: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
    day: Annotated[str, Form(alias="date")] = "",
    note: Annotated[str, Form(max_length=400)] = "",
    via: Annotated[str, Form()] = "owner",
    receipt: Annotated[UploadFile | None, File()] = None,
) -> Response:
    values = {"kind_category": kind_category, "amount": amount, "date": day, "note": note, "via": via}
    kind, _, category = kind_category.partition(":")
    try:
        body = _entry_in(kind, category, amount, day, note, via)
        picture = _receipt_bytes(receipt)
    except FinlifeError as refused:
        errors = page_errors(refused, language_of(request), ENTRY_FIELDS)
        return _entries_page(
            request, actor, None, status_code=refused_status(refused), errors=errors, values=values
        )

    def work(session):  # type: ignore[no-untyped-def]
        merchant_id = console_of(session, actor).merchant.id
        return service.create_entry(session, actor, merchant_id, body, picture)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = page_errors(outcome, language_of(request), ENTRY_FIELDS)
        return _entries_page(
            request, actor, None, status_code=refused_status(outcome), errors=errors, values=values
        )
    return redirect(f"{ENTRIES}?month={body.date.strftime('%Y-%m')}", flash="ui.books.entry_added")


def _entry_in(kind: str, category: str, amount: str, day: str, note: str, via: str) -> EntryIn:
    """The form as the API's body; a field the API would refuse is shown under that field."""
    fen = parse_amount(amount)
    try:
        on = date.fromisoformat(day)
    except ValueError as exc:
        raise FinlifeError("ui.books.date_invalid", status=422, field="date") from exc
    try:
        return EntryIn.model_validate(
            {"kind": kind, "category": category, "amount": fen, "date": on, "note": note[:200], "via": via}
        )
    except ValidationError as exc:
        raise FinlifeError(
            "books_category_unknown", status=422, field="kind_category", params={"category": category}
        ) from exc


@router.post(ENTRIES + "/{entry_id}/reversal", dependencies=[Depends(verify_csrf)])
def reverse(request: Request, entry_id: str, actor: Owner) -> Response:
    def work(session):  # type: ignore[no-untyped-def]
        return service.reverse_entry(session, actor, console_of(session, actor).merchant.id, entry_id)

    outcome = attempt(request, work)
    if isinstance(outcome, FinlifeError):
        errors = {"_form": outcome.message(language_of(request))}
        return _entries_page(request, actor, None, status_code=refused_status(outcome), errors=errors)
    return redirect(f"{ENTRIES}?month={outcome.date.strftime('%Y-%m')}", flash="ui.books.entry_reversed")


@router.get(ENTRIES + "/{entry_id}/receipt")
def receipt(request: Request, entry_id: str, actor: Owner) -> Response:
    with request.app.state.db.unit_of_work() as session:
        data, content_type = service.receipt_of(
            session, actor, console_of(session, actor).merchant.id, entry_id
        )
    headers = {"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'"}
    return Response(data, media_type=content_type, headers=headers)


@router.get(BOOKS + "/export/{report}.{output}")
def export(
    request: Request,
    report: Literal["pnl", "cashflow", "takings"],
    output: Literal["csv", "xlsx"],
    actor: Owner,
    month: Month = None,
) -> Response:
    """The API's exports of the month, for a browser signed in with its cookie."""
    start, end = month_range(month)
    language = language_of(request)
    with request.app.state.db.unit_of_work() as session:
        merchant_id = console_of(session, actor).merchant.id
        if report == "pnl":
            table = exports.pnl_table(service.pnl(session, actor, merchant_id, start, end, "day"), language)
        elif report == "cashflow":
            table = exports.cashflow_table(
                service.cashflow(session, actor, merchant_id, start, end), language
            )
        else:
            table = exports.takings_table(service.takings(session, actor, merchant_id, start, end), language)
    return exports.respond(table, output, f"{report}-{start.strftime('%Y-%m')}")
