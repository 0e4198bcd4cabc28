"""The books' pages in /merchant: the owner's month with its chart, an entry with a receipt picture,
a reversal, the cash flow, the exports; a cashier is refused."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from PIL import Image

from finlife.kit.clock import clock
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.books.support import drain
from tests.payments.support import card, order_of, payer, tender
from tests.settlement.support import D, Shop, shanghai
from tests.web.forms import hidden_fields, signed_in

ENTRIES = "/merchant/books/entries"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (10, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def test_the_owner_books_an_expense_with_a_receipt_and_sees_the_month(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 12))
    assert (
        tender(client, shop.till, order_of(client, shop.till, 12_345), card(who, 12_345)).status_code == 201
    )
    drain(db)
    owner = signed_in(client, "merchant", shop.owner_username)
    page = owner.get(ENTRIES)
    assert page.status_code == 200
    form = hidden_fields(page.text, ENTRIES)
    fields = {
        **form,
        "kind_category": "expense:rent",
        "amount": "1,000.50",
        "date": D.isoformat(),
        "note": "三月房租",
        "via": "bank",
    }
    posted = owner.post(ENTRIES, data=fields, files={"receipt": ("receipt.png", _png(), "image/png")})
    assert posted.status_code == 303, posted.text
    listed = owner.get(posted.headers["location"]).text
    assert "三月房租" in listed and "¥1,000.50" in listed
    receipt_link = listed.split('href="/merchant/books/entries/')[1].split('"')[0]
    picture = owner.get(f"/merchant/books/entries/{receipt_link}")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/png"
    assert picture.headers["x-content-type-options"] == "nosniff"
    # A script disguised as a picture is refused under the field, and nothing is booked.
    page = owner.get(ENTRIES)
    bad = {
        **hidden_fields(page.text, ENTRIES),
        "kind_category": "expense:stock",
        "amount": "5",
        "date": D.isoformat(),
    }
    refused = owner.post(
        ENTRIES, data=bad, files={"receipt": ("x.png", b"<script>alert(1)</script>", "image/png")}
    )
    assert refused.status_code == 422 and "PNG、JPEG 或 WebP" in refused.text
    month = owner.get(f"/merchant/books?month={D.strftime('%Y-%m')}")
    assert month.status_code == 200
    assert (
        'data-day="2026-03-02"' in month.text and "chart__bar--loss" in month.text
    )  # rent outweighs the sale
    assert "¥123.45" in month.text
    english = owner.get(
        f"/merchant/books/cashflow?month={D.strftime('%Y-%m')}", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 200
    xlsx = owner.get(f"/merchant/books/export/pnl.xlsx?month={D.strftime('%Y-%m')}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    march_2 = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "2026-03-02")
    assert march_2[1] == 123.45 and march_2[4] == 1000.5


def test_a_cashier_is_refused_the_books_pages(client, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    clock.freeze(shanghai(D, 9, 5))
    cashier = signed_in(client, "merchant", shop.cashier_username)
    for path in ("/merchant/books", "/merchant/books/cashflow", ENTRIES, "/merchant/books/export/pnl.csv"):
        assert cashier.get(path).status_code == 403, path
    assert "/merchant/books" not in cashier.get("/merchant").text
