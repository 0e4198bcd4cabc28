"""CSV files for people: UTF-8 with a BOM (Excel then reads the Chinese), headers in the page's
language, money in yuan with two decimals (1234.50, never fen), lines ended CRLF (RFC 4180).

The API's ``format=csv`` answers are for programs (codes and fen); a page's download turns one of them
into a person's file with ``for_people``, so each report is written once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from starlette.responses import Response

from finlife.kit.i18n import CATALOGUE, translate
from finlife.kit.money import to_decimal

BOM = "\ufeff"


def yuan(fen: int, currency: str = "CNY") -> str:
    """1234.50 for 123450 fen: a number a spreadsheet sums, in the currency's major unit."""
    return f"{to_decimal(fen, currency):.2f}"


def table_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A table as a person's CSV text: the BOM, the headers, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def for_people(
    machine_csv: str,
    *,
    language: str,
    words: str,
    money: Iterable[str] = (),
    worded: Mapping[str, tuple[str, ...]] | None = None,
) -> str:
    """A program's CSV (codes as headers, fen) as a person's: each header ``{words}{column}`` in
    ``language``, the ``money`` columns in yuan, the values of ``worded`` columns (column → catalogue
    prefixes, the first that knows the value wins) in words where the catalogue has them."""
    reader = csv.reader(io.StringIO(machine_csv.removeprefix(BOM)))
    columns = next(reader, [])
    in_yuan, in_words = set(money), dict(worded or {})
    rows = []
    for row in reader:
        shown: list[object] = []
        for column, value in zip(columns, row, strict=False):
            if column in in_yuan and value.lstrip("-").isdigit():
                shown.append(yuan(int(value)))
            else:
                keys = [f"{prefix}{value}" for prefix in in_words.get(column, ())]
                known = next((key for key in keys if key in CATALOGUE), None)
                shown.append(translate(known, language) if known else value)
        rows.append(shown)
    headers = [translate(f"{words}{column}", language) for column in columns]
    return table_csv(headers, rows)


def csv_download(text: str, filename: str) -> Response:
    """The file a browser saves (the filename carries no person's data)."""
    return Response(
        text.encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
