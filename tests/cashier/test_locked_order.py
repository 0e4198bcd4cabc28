"""An order locked for a payment whose seller was already checked (``lock_open_order``) and the
payment counted on the row it locked (``apply_new_payment``): the same rules as ``apply_payment``.
On PostgreSQL the row is a snapshot read by the driver together with its lines and the caller's own
queries, in one round trip, and the new figures are one queued UPDATE."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from tests.cashier.support import Till, goods, new_order, pay, pos
from tests.catalog.support import stock_of, variation
from tests.merchants.support import audit_of, events_of


def _pay_locked(db: Database, order_id: str, amount: int, payment_id: str) -> OrderOut:
    with db.unit_of_work() as session:
        locked = cashier.lock_open_order(session, order_id)
        return cashier.apply_new_payment(session, locked, amount=amount, payment_id=payment_id)


def _order(client: TestClient, till: Till, order_id: str) -> dict[str, object]:
    answer = client.get(f"/v1/orders/{order_id}", headers=pos(till.cashier))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_payments_counted_on_the_locked_row_pay_the_order_and_take_stock_once(
    client: TestClient, db: Database, till: Till
) -> None:
    latte, tea = goods(client, till, variation(price=1800, stock=10), variation(price=1200))
    lines = [{"variation_id": latte, "quantity": 2}, {"variation_id": tea, "quantity": 1}]
    order = new_order(client, till, lines)
    clock.freeze(datetime(2025, 3, 1, 4, 0, tzinfo=UTC))
    first = _pay_locked(db, order["id"], 2000, "pay_locked1")
    assert (first.status, first.paid, first.paid_at) == ("open", 2000, None)
    assert [line.quantity for line in first.lines] == [2, 1]
    assert first.created_at == datetime.fromisoformat(order["created_at"])
    assert stock_of(db, latte) == 10
    second = _pay_locked(db, order["id"], 2800, "pay_locked2")
    assert (second.status, second.paid, second.paid_at) == (
        "paid",
        4800,
        datetime(2025, 3, 1, 4, 0, tzinfo=UTC),
    )
    stored = _order(client, till, order["id"])
    assert (stored["status"], stored["paid"], stored["paid_at"]) == ("paid", 4800, "2025-03-01T04:00:00Z")
    assert stock_of(db, latte) == 8
    assert stock_of(db, tea) is None
    assert [action for action, _ in audit_of(db, order["id"])] == ["order.opened", "order.paid"]
    assert events_of(db, "order.paid")[0]["payment_id"] == "pay_locked2"
    with pytest.raises(FinlifeError) as closed:
        _pay_locked(db, order["id"], 1, "pay_locked3")
    assert closed.value.code == "order_not_open"


def test_an_unknown_order_and_a_payment_beyond_the_total_are_refused(
    client: TestClient, db: Database, till: Till
) -> None:
    with pytest.raises(FinlifeError) as unknown:
        _pay_locked(db, "ord_nosuchorder", 100, "pay_locked4")
    assert (unknown.value.code, unknown.value.params) == ("not_found", {"what": "order"})
    order = new_order(client, till, [{"name": "费", "amount": 1000}])
    with pytest.raises(FinlifeError) as over:
        _pay_locked(db, order["id"], 1001, "pay_locked5")
    assert (over.value.code, over.value.params) == ("overpayment", {"outstanding": 1000})


def test_out_of_stock_leaves_the_order_open_and_unpaid(client: TestClient, db: Database, till: Till) -> None:
    (latte,) = goods(client, till, variation(stock=1))
    order = new_order(client, till, [{"variation_id": latte, "quantity": 2}])
    with pytest.raises(FinlifeError) as refused:
        _pay_locked(db, order["id"], order["total"], "pay_locked6")
    assert refused.value.code == "out_of_stock"
    stored = _order(client, till, order["id"])
    assert (stored["status"], stored["paid"]) == ("open", 0)
    assert stock_of(db, latte) == 1
    pay(db, order["id"], 100)  # the order still takes a payment as before
    assert _order(client, till, order["id"])["paid"] == 100


@pytest.mark.postgres_only
def test_the_lock_the_lines_and_the_callers_queries_are_one_round_trip(
    client: TestClient, db: Database, till: Till, caplog: pytest.LogCaptureFixture
) -> None:
    order = new_order(client, till, [{"name": "甲", "amount": 300}, {"name": "乙", "amount": 200}])
    with db.unit_of_work() as session, caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        locked = cashier.lock_open_order(
            session, order["id"], also=[("SELECT %(n)s::int + 1", {"n": 41}), ("SELECT 7", {})]
        )
        assert [r.getMessage() for r in caplog.records].count("round trip") == 1
        assert locked.also == [[(42,)], [(7,)]]
        assert [line.name for line in locked.lines or []] == ["甲", "乙"]
        assert (locked.facts.total, locked.facts.paid) == (500, 0)
        with db.unit_of_work() as other, pytest.raises(OperationalError):  # the row is locked
            other.execute(
                text("SELECT id FROM cashier_orders WHERE public_id = :id FOR UPDATE NOWAIT"),
                {"id": order["id"]},
            )
        cashier.apply_new_payment(session, locked, amount=500, payment_id="pay_locked7")
    assert _order(client, till, order["id"])["status"] == "paid"


def test_queries_sent_with_the_lock_are_driver_sql_for_postgresql_only(
    db: Database, client: TestClient, till: Till
) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])
    with db.unit_of_work() as session:
        if db.is_sqlite:
            with pytest.raises(TypeError):
                cashier.lock_open_order(session, order["id"], also=[("SELECT 1", {})])
        else:
            assert cashier.lock_open_order(session, order["id"], also=[("SELECT 1", {})]).also == [[(1,)]]
