"""Reports as CSV (UTF-8 with a BOM, so that Excel reads the Chinese headers) and XLSX (openpyxl).

Headers are in the request's language; money is in yuan, as numbers in both (a Decimal with two
places; in XLSX a numeric cell formatted ``#,##0.00``), never as text.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from openpyxl import Workbook
from starlette.responses import Response

from finlife.books.schemas import CashflowOut, PnlOut, TakingsOut
from finlife.kit.csvfile import table_csv
from finlife.kit.i18n import translate

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["json", "csv", "xlsx"]


@dataclass(frozen=True)
class Table:
    name: str
    headers: list[str]
    rows: list[list[str | int | Decimal]]
    money_from: int  # the index of the first column of money


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def pnl_table(report: PnlOut, language: str) -> Table:
    columns = ("revenue", "fees", "coupon_cost", "expenses", "other_income", "profit")
    headers = [translate(f"books.col.{key}", language) for key in ("period", *columns)]
    rows: list[list[str | int | Decimal]] = [
        [row.period, *(yuan(getattr(row, column)) for column in columns)] for row in report.rows
    ]
    rows.append(
        [translate("books.col.total", language), *(yuan(getattr(report.total, col)) for col in columns)]
    )
    return Table("pnl", headers, rows, 1)


def cashflow_table(report: CashflowOut, language: str) -> Table:
    keys = ("account", "opening", "inflows", "outflows", "closing")
    names = {"settlement_account": "asset:bank", "cash_drawer": "asset:drawer"}
    rows: list[list[str | int | Decimal]] = [
        [
            translate(f"books.account.{names[a.account]}", language),
            yuan(a.opening),
            yuan(a.inflows),
            yuan(a.outflows),
            yuan(a.closing),
        ]
        for a in report.accounts
    ]
    return Table("cashflow", [translate(f"books.col.{k}", language) for k in keys], rows, 1)


def takings_table(report: TakingsOut, language: str) -> Table:
    """One sheet, three blocks: by tender, by store, by hour (the first column says which)."""
    tender, store, hour = (translate(f"books.col.{k}", language) for k in ("tender", "store", "hour"))
    rows: list[list[str | int | Decimal]] = []
    rows += [
        [tender, translate(f"books.tender.{t.tender}", language), yuan(t.takings)] for t in report.by_tender
    ]
    rows += [[store, s.store_name or "-", yuan(s.takings)] for s in report.by_store]
    rows += [[hour, f"{h.hour:02d}:00", yuan(h.takings)] for h in report.by_hour]
    headers = ["", "", translate("books.col.takings", language)]
    return Table("takings", headers, rows, 2)


def _csv(table: Table) -> bytes:
    return table_csv(table.headers, table.rows).encode()


def _xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = table.name
    sheet.append(table.headers)
    for row in table.rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2, min_col=table.money_from + 1):
        for cell in cells:
            cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def respond(table: Table, output: Format, filename: str) -> Response:
    body, media = (_csv(table), CSV_TYPE) if output == "csv" else (_xlsx(table), XLSX_TYPE)
    disposition = f'attachment; filename="{filename}.{output}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
