"""Receipts: printable HTML and plain text, times in Asia/Shanghai, tenders from the payments module."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import PaymentSummary
from finlife.kit.clock import clock
from finlife.kit.db import Database
from tests.cashier.support import Till, goods, new_order, pay, pos
from tests.catalog.support import variation


@pytest.fixture
def paid_order(client: TestClient, db: Database, till: Till) -> dict[str, Any]:
    (latte,) = goods(client, till, variation(name="大杯", price=1800))
    # 16:30 UTC on 1 March is half past midnight on 2 March in Shanghai.
    clock.freeze(datetime(2025, 3, 1, 16, 30, 5, tzinfo=UTC))
    order = new_order(
        client, till, [{"variation_id": latte, "quantity": 2}, {"name": "打包费 <纸袋>", "amount": 100}]
    )
    pay(db, order["id"], order["total"])
    return order


@pytest.fixture
def tenders() -> Iterator[None]:
    """A stand-in for the payments module: a cash tender with change and a card tender."""

    def source(session: Session, order_id: str) -> Sequence[PaymentSummary]:
        return [
            PaymentSummary(method="cash", amount=2000, change=300),
            PaymentSummary(method="card", amount=1700, detail="6222 **** **** 1234"),
        ]

    cashier.register_payment_source(source)
    yield
    cashier.unregister_payment_source(source)


def test_html_receipt_is_a_standalone_printable_page(
    client: TestClient, till: Till, paid_order: dict[str, Any]
) -> None:
    response = client.get(f"/v1/orders/{paid_order['id']}/receipt", headers=pos(till.cashier))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert html.startswith("<!doctype html>")
    assert "monospace" in html
    for text in (
        "徐家汇店",
        paid_order["id"],
        "拿铁咖啡 大杯",
        "2 x ¥18.00",
        "¥36.00",
        "¥37.00",
        "2025-03-02 00:30:05",
    ):
        assert text in html, text
    assert "打包费 &lt;纸袋&gt;" in html  # escaped in HTML
    assert "谢谢惠顾" in html


def test_text_receipt_by_format_or_by_accept(
    client: TestClient, till: Till, paid_order: dict[str, Any]
) -> None:
    path = f"/v1/orders/{paid_order['id']}/receipt"
    by_format = client.get(path, params={"format": "text"}, headers=pos(till.cashier))
    by_accept = client.get(path, headers=pos(till.cashier, Accept="text/plain"))
    assert by_format.headers["content-type"].startswith("text/plain")
    assert by_format.text == by_accept.text
    lines = by_format.text.splitlines()
    assert "打包费 <纸袋>" in lines  # printed as is
    assert "下单时间     2025-03-02 00:30:05" in lines
    assert "付款时间     2025-03-02 00:30:05" in lines
    row = next(line for line in lines if line.startswith("  2 x"))
    assert row.startswith("  2 x ¥18.00") and row.endswith("¥36.00")
    total = next(line for line in lines if line.startswith("应收"))
    assert total.endswith("¥37.00")
    # 32 columns of a 58 mm printer, a Chinese character counting twice.
    assert len(total) + sum(1 for char in total if ord(char) > 0x2E80) == 32


def test_receipt_lists_the_tenders_the_payments_module_supplies(
    client: TestClient,
    till: Till,
    paid_order: dict[str, Any],
    tenders: None,
) -> None:
    text = client.get(
        f"/v1/orders/{paid_order['id']}/receipt", params={"format": "text"}, headers=pos(till.cashier)
    ).text
    assert "6222 **** **** 1234" in text
    assert any(line.startswith("现金") and line.endswith("¥20.00") for line in text.splitlines())
    assert any(line.startswith("银行卡") and line.endswith("¥17.00") for line in text.splitlines())
    assert any(line.startswith("找零") and line.endswith("¥3.00") for line in text.splitlines())
    html = client.get(f"/v1/orders/{paid_order['id']}/receipt", headers=pos(till.cashier)).text
    assert "6222 **** **** 1234" in html and "找零" in html


def test_receipt_speaks_english_when_asked(
    client: TestClient, till: Till, paid_order: dict[str, Any]
) -> None:
    text = client.get(
        f"/v1/orders/{paid_order['id']}/receipt",
        params={"format": "text"},
        headers=pos(till.cashier, **{"Accept-Language": "en"}),
    ).text
    assert "Thank you" in text
    assert any(line.startswith("Total") for line in text.splitlines())


def test_an_unpaid_order_is_marked_on_its_receipt(client: TestClient, till: Till) -> None:
    order = new_order(client, till, [{"name": "服务费", "amount": 500}])
    text = client.get(
        f"/v1/orders/{order['id']}/receipt", params={"format": "text"}, headers=pos(till.owner)
    ).text
    assert "*** 未付款 ***" in text
    assert "付款时间" not in text
