"""Opening orders: totals from the catalog's prices and free lines, and what is refused."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.cashier.support import (
    Till,
    add_terminal,
    goods,
    new_order,
    order_body,
    order_count,
    pos,
    post_order,
)
from tests.catalog.support import variation
from tests.factories import add_store, headers, staff_token
from tests.merchants.support import audit_of, events_of


def test_totals_come_from_catalog_prices_and_free_lines(client: TestClient, db: Database, till: Till) -> None:
    small, large = goods(client, till, variation(name="中杯", price=1800), variation(name="大杯", price=2250))
    order = new_order(
        client,
        till,
        [
            {"variation_id": small, "quantity": 2},
            {"variation_id": large, "quantity": 1},
            {"name": "打包费", "amount": 200},
        ],
    )
    assert order["id"].startswith("ord_")
    assert order["status"] == "open"
    assert [
        (line["name"], line["unit_price"], line["quantity"], line["line_total"]) for line in order["lines"]
    ] == [
        ("拿铁咖啡 中杯", 1800, 2, 3600),
        ("拿铁咖啡 大杯", 2250, 1, 2250),
        ("打包费", 200, 1, 200),
    ]
    assert (order["subtotal"], order["discount"], order["total"]) == (6050, 0, 6050)
    assert (order["paid"], order["refunded"], order["paid_at"]) == (0, 0, None)
    assert order["store_id"] == till.store_id
    assert order["terminal_id"] == till.terminal_id
    assert order["cashier"]
    assert order["lines"][2]["variation_id"] is None
    assert client.get(f"/v1/orders/{order['id']}", headers=pos(till.owner)).json() == order


def test_the_price_is_the_catalogs_not_the_callers(client: TestClient, till: Till) -> None:
    (latte,) = goods(client, till, variation(price=1800))
    response = post_order(client, till, [{"variation_id": latte, "quantity": 1, "unit_price": 1}])
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_opening_is_audited_and_published(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "服务费", "amount": 500}])
    assert [action for action, _ in audit_of(db, order["id"])] == ["order.opened"]
    (event,) = events_of(db, "order.opened")
    assert event["order_id"] == order["id"]
    assert event["total"] == 500


def test_the_same_idempotency_key_opens_one_order(client: TestClient, db: Database, till: Till) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = order_body(till, [{"name": "服务费", "amount": 500}])
    first = client.post("/v1/orders", json=body, headers=pos(till.cashier, **key))
    again = client.post("/v1/orders", json=body, headers=pos(till.cashier, **key))
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert order_count(db) == 1
    missing = client.post("/v1/orders", json=body, headers=pos(till.cashier))
    assert missing.status_code == 400


def _user_id(client: TestClient, token: str) -> str:
    me = client.get("/v1/me", headers=headers(token))
    assert me.status_code == 200, me.text
    user_id: str = me.json()["user_id"]
    return user_id


def test_the_owner_may_sell_too(client: TestClient, till: Till) -> None:
    response = post_order(client, till, [{"name": "服务费", "amount": 500}], token=till.owner)
    assert response.status_code == 201, response.text
    order = response.json()
    assert (order["status"], order["subtotal"], order["discount"], order["total"], order["paid"]) == (
        "open",
        500,
        0,
        500,
        0,
    )
    assert [(line["name"], line["line_total"]) for line in order["lines"]] == [("服务费", 500)]
    assert (order["store_id"], order["terminal_id"]) == (till.store_id, till.terminal_id)
    owner = _user_id(client, till.owner)
    assert order["cashier"] == owner  # the owner opened it, not the store's cashier
    assert owner != _user_id(client, till.cashier)


def test_an_archived_variation_is_refused(client: TestClient, db: Database, till: Till) -> None:
    (latte,) = goods(client, till)
    item_id = client.get(f"/v1/merchants/{till.merchant_id}/items", headers=headers(till.owner)).json()[
        "data"
    ][0]["id"]
    assert client.post(f"/v1/items/{item_id}/archive", headers=headers(till.owner)).status_code == 200
    response = post_order(
        client, till, [{"name": "服务费", "amount": 500}, {"variation_id": latte, "quantity": 1}]
    )
    assert response.status_code == 422
    assert response.json()["code"] == "variation_archived"
    assert response.json()["field"] == "lines.1.variation_id"
    assert order_count(db) == 0


def test_another_merchants_variation_is_refused_like_an_unknown_one(
    client: TestClient, db: Database, till: Till, other_till: Till
) -> None:
    (foreign,) = goods(client, other_till)
    for variation_id in (foreign, "var_doesnotexist000000"):
        response = post_order(client, till, [{"variation_id": variation_id, "quantity": 1}])
        assert response.status_code == 422
        assert response.json()["code"] == "unknown_variation"
        assert response.json()["field"] == "lines.0.variation_id"
    assert order_count(db) == 0


def test_free_lines_need_a_name_and_a_positive_whole_amount(client: TestClient, till: Till) -> None:
    for line in (
        {"name": "服务费", "amount": 0},
        {"name": "服务费", "amount": -5},
        {"name": "服务费", "amount": 12.5},
        {"name": "服务费", "amount": "500"},
        {"name": " ", "amount": 500},
        {"amount": 500},
    ):
        response = post_order(client, till, [line])
        assert response.status_code == 422, line
        assert response.json()["code"] == "validation_error"


def test_quantities_are_positive_and_an_order_has_lines(client: TestClient, till: Till) -> None:
    (latte,) = goods(client, till)
    for lines in ([{"variation_id": latte, "quantity": 0}], [{"variation_id": latte, "quantity": 1.5}], []):
        response = post_order(client, till, lines)
        assert response.status_code == 422, lines
        assert response.json()["code"] == "validation_error"


def test_an_unknown_coupon_code_refuses_the_order(client: TestClient, db: Database, till: Till) -> None:
    response = post_order(client, till, [{"name": "服务费", "amount": 500}], coupon_codes=["SAVE10"])
    assert response.status_code == 422
    assert response.json()["code"] == "coupon_unknown"
    assert response.json()["field"] == "coupon_codes"
    assert order_count(db) == 0
    assert post_order(client, till, [{"name": "服务费", "amount": 500}], coupon_codes=[]).status_code == 201


def test_the_terminal_must_belong_to_the_store(client: TestClient, till: Till, other_till: Till) -> None:
    second_store = add_store(client, till.owner, till.merchant_id, name="静安店")
    own_other_store = add_terminal(client, till.owner, second_store)
    for terminal_id in (own_other_store, other_till.terminal_id, "NOSUCHT1"):
        response = client.post(
            "/v1/orders",
            json={
                "store_id": till.store_id,
                "terminal_id": terminal_id,
                "lines": [{"name": "费", "amount": 1}],
            },
            headers=pos(till.owner, **{"Idempotency-Key": str(uuid.uuid4())}),
        )
        assert response.status_code == 422, terminal_id
        assert response.json()["code"] == "terminal_not_in_store"


def test_bank_staff_read_orders_but_do_not_sell(
    client: TestClient, db: Database, settings: Settings, till: Till
) -> None:
    order = new_order(client, till, [{"name": "服务费", "amount": 500}])
    teller = staff_token(client, db, settings, Role.TELLER)
    assert client.get(f"/v1/orders/{order['id']}", headers=headers(teller)).status_code == 200
    # The route admits sellers only; a teller is refused before any row is read.
    assert post_order(client, till, [{"name": "服务费", "amount": 500}], token=teller).status_code == 403
