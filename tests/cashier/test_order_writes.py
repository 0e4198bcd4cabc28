"""How an order is written: on PostgreSQL the order and its lines are queued with the unit of work's
other writes (each line finds its order by public id) and go out with the COMMIT; a read later in the
same unit of work sees them first, on both databases."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from finlife.cashier import service as cashier
from finlife.cashier.schemas import CatalogLineIn, FreeLineIn, OrderIn
from finlife.kit.auth import read_token
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.cashier.support import Till, goods, new_order, pos
from tests.catalog.support import variation


def test_an_order_opened_is_read_back_whole_in_the_same_unit_of_work(
    client: TestClient, db: Database, settings: Settings, till: Till
) -> None:
    (latte,) = goods(client, till, variation(price=1800))
    body = OrderIn(
        store_id=till.store_id,
        terminal_id=till.terminal_id,
        lines=[CatalogLineIn(variation_id=latte, quantity=2), FreeLineIn(name="打包费", amount=200)],
    )
    with db.unit_of_work() as session:
        opened = cashier.open_order(session, read_token(till.cashier, secret=settings.secret_key), body)
        locked = cashier.lock_open_order(session, opened.id)  # as the demo pays an order it just opened
        assert (locked.facts.total, locked.facts.paid) == (3_800, 0)
        again = cashier.apply_new_payment(session, locked, amount=3_800, payment_id="pay_sameunit1")
        assert [(line.name, line.quantity, line.line_total) for line in again.lines] == [
            (opened.lines[0].name, 2, 3_600),
            ("打包费", 1, 200),
        ]
    stored = client.get(f"/v1/orders/{opened.id}", headers=pos(till.cashier)).json()
    assert (stored["status"], stored["paid"], len(stored["lines"])) == ("paid", 3_800, 2)
    assert stored["created_at"] == opened.created_at.isoformat().replace("+00:00", "Z")


@pytest.mark.postgres_only
def test_the_order_and_its_lines_go_out_with_the_commit(
    client: TestClient, till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    (latte,) = goods(client, till, variation(price=1800))
    lines = [
        {"name": "甲", "amount": 300},
        {"variation_id": latte, "quantity": 1},
        {"name": "乙", "amount": 200},
    ]
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        order = new_order(client, till, lines)
    messages = [r.getMessage() for r in caplog.records]
    trips = [i for i, message in enumerate(messages) if message == "round trip"]
    last_trip = messages[trips[-2] + 1 :]  # the Idempotency-Key's trip, the ORM's reads, then this one
    assert last_trip[-2:] == ["COMMIT", "round trip"]
    inserts = [m.split(" (")[0] for m in last_trip if m.startswith("INSERT INTO cashier_order")]
    assert inserts == ["INSERT INTO cashier_orders"] + ["INSERT INTO cashier_order_lines"] * 3
    stored = client.get(f"/v1/orders/{order['id']}", headers=pos(till.cashier)).json()
    assert [line["name"] for line in stored["lines"]] == ["甲", order["lines"][1]["name"], "乙"]
    assert stored["total"] == 2_300
