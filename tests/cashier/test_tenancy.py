"""Another merchant's people (and a cashier of another store) get 404 for orders, shifts and receipts."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.cashier.support import Till, move_cash, new_order, open_shift, order_body, pos
from tests.factories import add_cashier, add_store, signup_customer


def test_another_merchants_people_get_404_everywhere(
    client: TestClient, db: Database, till: Till, other_till: Till
) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])["id"]
    shift = open_shift(client, till).json()["id"]
    lines = {"lines": [{"name": "费", "amount": 1}]}
    for token in (other_till.owner, other_till.cashier):
        for method, path, body in (
            ("GET", f"/v1/orders/{order}", None),
            ("GET", f"/v1/orders/{order}/receipt", None),
            ("GET", f"/v1/orders/{order}/receipt?format=text", None),
            ("POST", f"/v1/orders/{order}/cancel", None),
            ("POST", f"/v1/orders/{order}/calculate", lines),
            ("GET", f"/v1/stores/{till.store_id}/orders", None),
            ("GET", f"/v1/shifts/{shift}", None),
            ("POST", f"/v1/shifts/{shift}/close", {"counted_cash": 0}),
            (
                "POST",
                f"/v1/stores/{till.store_id}/shifts",
                {"terminal_id": till.terminal_id, "opening_float": 0},
            ),
            ("POST", "/v1/orders/calculate", order_body(till, lines["lines"])),
        ):
            response = client.request(method, path, json=body, headers=pos(token))
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["code"] == "not_found"
        moved = move_cash(client, token, shift, "paid_out", 1)
        assert moved.status_code == 404
        opened = client.post(
            "/v1/orders",
            json=order_body(till, lines["lines"]),
            headers=pos(token, **{"Idempotency-Key": str(uuid.uuid4())}),
        )
        assert opened.status_code == 404
    # Nothing of theirs changed.
    assert client.get(f"/v1/orders/{order}", headers=pos(till.cashier)).json()["status"] == "open"
    assert client.get(f"/v1/shifts/{shift}", headers=pos(till.cashier)).json()["status"] == "open"


def test_a_cashier_of_another_store_sees_nothing_of_this_one(
    client: TestClient, db: Database, settings: Settings, till: Till
) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])["id"]
    shift = open_shift(client, till).json()["id"]
    second_store = add_store(client, till.owner, till.merchant_id, name="静安店")
    elsewhere = add_cashier(client, till.owner, till.merchant_id, [second_store])
    for path in (f"/v1/orders/{order}", f"/v1/orders/{order}/receipt", f"/v1/shifts/{shift}"):
        response = client.get(path, headers=pos(elsewhere))
        assert response.status_code == 404, path


def test_people_without_a_merchant_role_are_turned_away(client: TestClient, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 100}])["id"]
    _, customer = signup_customer(client)
    assert client.get(f"/v1/orders/{order}", headers=pos(customer)).status_code == 403
    assert client.get(f"/v1/orders/{order}").status_code == 401
