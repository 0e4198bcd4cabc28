"""The calculate preview: the same totals as opening the order, and nothing changes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from tests.cashier.support import Till, event_count, goods, new_order, order_body, order_count, pay, pos
from tests.catalog.support import stock_of, variation
from tests.merchants.support import audit_of


def test_calculate_before_opening_previews_the_totals_and_stores_nothing(
    client: TestClient, db: Database, till: Till
) -> None:
    (latte,) = goods(client, till, variation(price=1800, stock=5))
    lines = [{"variation_id": latte, "quantity": 3}, {"name": "打包费", "amount": 100}]
    events = event_count(db)
    response = client.post("/v1/orders/calculate", json=order_body(till, lines), headers=pos(till.cashier))
    assert response.status_code == 200, response.text
    preview = response.json()
    assert (preview["subtotal"], preview["discount"], preview["total"]) == (5500, 0, 5500)
    assert [line["line_total"] for line in preview["lines"]] == [5400, 100]
    assert order_count(db) == 0
    assert event_count(db) == events
    assert stock_of(db, latte) == 5
    opened = new_order(client, till, lines)
    assert (opened["subtotal"], opened["total"], opened["lines"]) == (5500, 5500, preview["lines"])


def test_calculate_applies_the_same_rules_as_opening(
    client: TestClient, till: Till, other_till: Till
) -> None:
    (foreign,) = goods(client, other_till)
    refused = client.post(
        "/v1/orders/calculate",
        json=order_body(till, [{"variation_id": foreign, "quantity": 1}]),
        headers=pos(till.cashier),
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "unknown_variation"
    coupons = client.post(
        "/v1/orders/calculate",
        json=order_body(till, [{"name": "费", "amount": 1}], coupon_codes=["X"]),
        headers=pos(till.cashier),
    )
    assert coupons.json()["code"] == "coupon_unknown"


def test_calculate_for_an_order_leaves_the_order_as_it_was(
    client: TestClient, db: Database, till: Till
) -> None:
    (latte,) = goods(client, till, variation(price=1800))
    order = new_order(client, till, [{"variation_id": latte, "quantity": 1}])
    response = client.post(
        f"/v1/orders/{order['id']}/calculate",
        json={"lines": [{"variation_id": latte, "quantity": 4}]},
        headers=pos(till.cashier),
    )
    assert response.status_code == 200, response.text
    assert response.json()["total"] == 7200
    assert response.json()["store_id"] == till.store_id
    assert client.get(f"/v1/orders/{order['id']}", headers=pos(till.cashier)).json() == order
    assert [action for action, _ in audit_of(db, order["id"])] == ["order.opened"]


def test_calculate_for_an_order_takes_the_create_body_of_the_same_store(
    client: TestClient, till: Till, other_till: Till
) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])
    same = client.post(
        f"/v1/orders/{order['id']}/calculate",
        json=order_body(till, [{"name": "费", "amount": 300}]),
        headers=pos(till.cashier),
    )
    assert same.status_code == 200
    assert same.json()["total"] == 300
    other = client.post(
        f"/v1/orders/{order['id']}/calculate",
        json={**order_body(till, [{"name": "费", "amount": 300}]), "terminal_id": other_till.terminal_id},
        headers=pos(till.cashier),
    )
    assert other.status_code == 422
    assert other.json()["code"] == "order_mismatch"


def test_calculate_for_a_finished_order_is_refused(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])
    pay(db, order["id"], 100)
    response = client.post(
        f"/v1/orders/{order['id']}/calculate",
        json={"lines": [{"name": "费", "amount": 1}]},
        headers=pos(till.cashier),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "order_not_open"
