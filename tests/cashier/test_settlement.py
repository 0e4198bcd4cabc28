"""What payments do to an order: open → paid (stock taken once) | cancelled; refunds within what was paid."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.cashier import service as cashier
from finlife.cashier.schemas import RefundLine
from finlife.kit.auth import Actor, read_token
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.settings import Settings
from tests.cashier.support import Till, goods, new_order, pay, pos
from tests.catalog.support import stock_of, variation
from tests.merchants.support import audit_of, events_of


def refund(db: Database, order_id: str, amount: int, lines: list[RefundLine] | None = None) -> dict[str, Any]:
    with db.unit_of_work() as session:
        return cashier.apply_refund(session, order_id, amount=amount, lines=lines).model_dump(mode="json")


def refused(code: str, call, *args, **kwargs) -> FinlifeError:  # type: ignore[no-untyped-def]
    with pytest.raises(FinlifeError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_payments_up_to_the_total_mark_the_order_paid_and_take_stock_once(
    client: TestClient, db: Database, till: Till
) -> None:
    latte, tea = goods(client, till, variation(price=1800, stock=10), variation(price=1200))
    order = new_order(
        client,
        till,
        [
            {"variation_id": latte, "quantity": 2},
            {"variation_id": tea, "quantity": 1},
            {"name": "费", "amount": 100},
        ],
    )
    clock.freeze(datetime(2025, 3, 1, 4, 0, tzinfo=UTC))
    first = pay(db, order["id"], 2000)
    assert (first.status, first.paid, first.paid_at) == ("open", 2000, None)
    assert stock_of(db, latte) == 10
    second = pay(db, order["id"], 2900)
    assert (second.status, second.paid) == ("paid", 4900)
    assert second.paid_at == datetime(2025, 3, 1, 4, 0, tzinfo=UTC)
    assert stock_of(db, latte) == 8
    assert stock_of(db, tea) is None  # untracked stays untracked
    assert [action for action, _ in audit_of(db, order["id"])] == ["order.opened", "order.paid"]
    assert events_of(db, "order.paid")[0]["order_id"] == order["id"]


def test_overpayment_is_refused(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 1000}])
    pay(db, order["id"], 600)
    error = refused("overpayment", pay, db, order["id"], 401)
    assert error.status == 422
    assert error.params == {"outstanding": 400}
    refused("invalid_amount", pay, db, order["id"], 0)
    assert pay(db, order["id"], 400).status == "paid"


def test_a_payment_applied_twice_counts_once(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 1000}])
    assert pay(db, order["id"], 300, payment_id="pay_same").paid == 300
    assert pay(db, order["id"], 300, payment_id="pay_same").paid == 300
    refused("payment_already_applied", pay, db, order["id"], 500, payment_id="pay_same")


def test_a_paid_or_cancelled_order_takes_no_more_payments(
    client: TestClient, db: Database, till: Till
) -> None:
    paid = new_order(client, till, [{"name": "费", "amount": 100}])
    pay(db, paid["id"], 100)
    assert refused("order_not_open", pay, db, paid["id"], 1).status == 409
    cancelled = new_order(client, till, [{"name": "费", "amount": 100}])
    assert client.post(f"/v1/orders/{cancelled['id']}/cancel", headers=pos(till.cashier)).status_code == 200
    refused("order_not_open", pay, db, cancelled["id"], 100)


def test_out_of_stock_refuses_the_whole_payment(client: TestClient, db: Database, till: Till) -> None:
    (latte,) = goods(client, till, variation(stock=1))
    order = new_order(client, till, [{"variation_id": latte, "quantity": 2}])
    refused("out_of_stock", pay, db, order["id"], order["total"])
    again = client.get(f"/v1/orders/{order['id']}", headers=pos(till.cashier)).json()
    assert (again["status"], again["paid"]) == ("open", 0)
    assert stock_of(db, latte) == 1


def test_cancel_only_an_open_order_with_nothing_paid(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 1000}])
    cancelled = client.post(f"/v1/orders/{order['id']}/cancel", headers=pos(till.cashier))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["cancelled_at"] is not None
    assert [action for action, _ in audit_of(db, order["id"])] == ["order.opened", "order.cancelled"]
    assert events_of(db, "order.cancelled")[0]["order_id"] == order["id"]
    again = client.post(f"/v1/orders/{order['id']}/cancel", headers=pos(till.cashier))
    assert (again.status_code, again.json()["code"]) == (409, "order_not_open")

    partly = new_order(client, till, [{"name": "费", "amount": 1000}])
    pay(db, partly["id"], 1)
    for order_id in (partly["id"], new_paid(client, db, till)):
        response = client.post(f"/v1/orders/{order_id}/cancel", headers=pos(till.cashier))
        assert (response.status_code, response.json()["code"]) == (409, "order_has_payments")


def new_paid(client: TestClient, db: Database, till: Till) -> str:
    order = new_order(client, till, [{"name": "费", "amount": 500}])
    pay(db, order["id"], 500)
    return str(order["id"])


def test_refunds_stay_within_what_was_paid(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 1000}])
    refused("order_not_paid", refund, db, order["id"], 100)
    pay(db, order["id"], 1000)
    assert refund(db, order["id"], 300)["refunded"] == 300
    error = refused("refund_exceeds_paid", refund, db, order["id"], 701)
    assert (error.status, error.params) == (422, {"refundable": 700})
    done = refund(db, order["id"], 700)
    assert (done["status"], done["paid"], done["refunded"]) == ("paid", 1000, 1000)
    refused("refund_exceeds_paid", refund, db, order["id"], 1)
    assert [action for action, _ in audit_of(db, order["id"])][-2:] == ["order.refunded", "order.refunded"]


def test_refunded_lines_go_back_to_stock_never_more_than_sold(
    client: TestClient, db: Database, till: Till
) -> None:
    latte, cake = goods(client, till, variation(price=1800, stock=10), variation(price=2500, stock=5))
    order = new_order(
        client, till, [{"variation_id": latte, "quantity": 3}, {"variation_id": cake, "quantity": 1}]
    )
    pay(db, order["id"], order["total"])
    assert (stock_of(db, latte), stock_of(db, cake)) == (7, 4)
    after = refund(db, order["id"], 1800, [RefundLine(latte, 1)])
    assert (stock_of(db, latte), stock_of(db, cake)) == (8, 4)
    assert [line["returned_quantity"] for line in after["lines"]] == [1, 0]
    refused("refund_exceeds_quantity", refund, db, order["id"], 5400, [RefundLine(latte, 3)])
    refused("refund_exceeds_quantity", refund, db, order["id"], 100, [RefundLine("var_notinorder0000000", 1)])
    assert stock_of(db, latte) == 8
    # The refund that empties the order without naming lines returns every piece still out.
    final = refund(db, order["id"], order["total"] - 1800)
    assert final["refunded"] == order["total"]
    assert (stock_of(db, latte), stock_of(db, cake)) == (10, 5)
    assert [line["returned_quantity"] for line in final["lines"]] == [3, 1]


def test_a_partial_refund_without_lines_returns_no_goods(
    client: TestClient, db: Database, till: Till
) -> None:
    (latte,) = goods(client, till, variation(price=1800, stock=10))
    order = new_order(client, till, [{"variation_id": latte, "quantity": 2}])
    pay(db, order["id"], 3600)
    refund(db, order["id"], 500)  # a goodwill partial refund: the coffee was drunk
    assert stock_of(db, latte) == 8


def test_lock_order_for_payment_checks_tenancy_and_state(
    client: TestClient, db: Database, settings: Settings, till: Till, other_till: Till
) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])

    def actor(token: str) -> Actor:
        return read_token(token, secret=settings.secret_key)  # the cashier's on pos, an owner's on web

    with db.unit_of_work() as session:
        locked = cashier.lock_order_for_payment(session, actor(till.cashier), order["id"])
        assert (locked.id, locked.total) == (order["id"], 100)
    with db.unit_of_work() as session:
        error = refused(
            "not_found", cashier.lock_order_for_payment, session, actor(other_till.owner), order["id"]
        )
        assert error.params == {"what": "order"}
    pay(db, order["id"], 100)
    with db.unit_of_work() as session:
        refused("order_not_open", cashier.lock_order_for_payment, session, actor(till.cashier), order["id"])
