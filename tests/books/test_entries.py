"""The owner's expenses and other income: the catalogue's categories, refusals that change nothing,
reversal instead of editing, and receipt pictures checked by what they are."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from finlife.books import service as books
from finlife.books.errors import ReceiptInvalid
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.books.support import book, drain, entry_count, get
from tests.factories import headers
from tests.payments.support import card, order_of, payer, tender
from tests.settlement.support import D, Shop, shanghai


def _picture(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def test_an_expense_and_an_income_are_booked_against_the_money_they_used(client, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    spent = book(
        client,
        shop.owner,
        shop.merchant_id,
        category="wages",
        amount=300_000,
        date=D,
        note="三月工资",
        via="bank",
    )
    assert spent.status_code == 201, spent.text
    assert spent.json()["lines"] == [
        {"account": "expense:wages", "amount": 300_000},
        {"account": "asset:bank", "amount": -300_000},
    ]
    earned = book(
        client, shop.owner, shop.merchant_id, kind="income", category="subsidy", amount=20_000, date=D
    )
    assert earned.json()["lines"] == [
        {"account": "income:subsidy", "amount": -20_000},
        {"account": "equity:owner", "amount": 20_000},
    ]
    total = get(client, shop.owner, shop.merchant_id, "pnl", from_=D, to=D).json()["total"]
    assert (total["expenses"], total["other_income"], total["profit"]) == (300_000, 20_000, -280_000)
    listed = get(client, shop.owner, shop.merchant_id, "entries", from_=D, to=D).json()
    assert [entry["category"] for entry in listed] == ["subsidy", "wages"]
    names = get(client, shop.owner, shop.merchant_id, "categories", "en").json()
    assert {"kind": "expense", "key": "wages", "name": "Wages"} in names
    assert {"kind": "expense", "key": "wages", "name": "工资"} in get(
        client, shop.owner, shop.merchant_id, "categories"
    ).json()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"category": "yachts"}, "books_category_unknown"),
        ({"kind": "income", "category": "rent"}, "books_category_unknown"),
        ({"amount": 0}, "books_amount_invalid"),
        ({"amount": -5}, "books_amount_invalid"),
        ({"via": "pocket"}, "validation_error"),
        ({"date": "2026-3-2"}, "validation_error"),
    ],
)
def test_bad_entries_are_refused_and_write_nothing(client, db, shop: Shop, body, code) -> None:  # type: ignore[no-untyped-def]
    answer = book(client, shop.owner, shop.merchant_id, **{"date": D, **body})
    assert answer.status_code == 422 and answer.json()["code"] == code
    assert entry_count(db) == 0


def test_an_entry_is_reversed_once_and_never_edited(client, db, bank: Bank, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    entry = book(client, shop.owner, shop.merchant_id, category="rent", amount=80_000, date=D).json()
    url = f"/v1/merchants/{shop.merchant_id}/books/entries/{entry['id']}/reversal"
    reversed_ = client.post(url, headers=headers(shop.owner))
    assert reversed_.status_code == 201, reversed_.text
    assert reversed_.json()["reverses"] == entry["id"]
    assert reversed_.json()["lines"] == [
        {"account": a["account"], "amount": -a["amount"]} for a in entry["lines"]
    ]
    assert client.post(url, headers=headers(shop.owner)).json()["code"] == "books_entry_not_reversible"
    assert get(client, shop.owner, shop.merchant_id, "pnl", from_=D, to=D).json()["total"]["expenses"] == 0
    # What came from an event is put right where it came from (a refund), not in the book.
    who = payer(bank, 10_000)
    shop.at(shanghai(D, 12))
    assert tender(client, shop.till, order_of(client, shop.till, 1_000), card(who, 1_000)).status_code == 201
    drain(db)
    sale = next(
        e
        for e in get(client, shop.owner, shop.merchant_id, "entries", from_=D, to=D).json()
        if e["kind"] == "sale"
    )
    refused = client.post(
        f"/v1/merchants/{shop.merchant_id}/books/entries/{sale['id']}/reversal", headers=headers(shop.owner)
    )
    assert refused.status_code == 409
    missing = client.post(
        f"/v1/merchants/{shop.merchant_id}/books/entries/ben_nothing/reversal", headers=headers(shop.owner)
    )
    assert missing.status_code == 404


def test_receipts_are_checked_by_their_content_not_their_name(db, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    assert books.checked_receipt(_picture("PNG")) == "image/png"
    assert books.checked_receipt(_picture("JPEG")) == "image/jpeg"
    assert books.checked_receipt(_picture("WEBP")) == "image/webp"
    for bad in (b"", b"<svg onload=alert(1)>", _picture("GIF"), b"\x89PNG\r\n\x1a\n" + b"\0" * 40):
        with pytest.raises(ReceiptInvalid):
            books.checked_receipt(bad)
    with pytest.raises(ReceiptInvalid):
        books.checked_receipt(_picture("PNG", (2, 2)) + b"\0" * (2 * 1024 * 1024))
