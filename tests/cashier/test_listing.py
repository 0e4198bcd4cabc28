"""A store's orders: newest first, by state and by business day (Asia/Shanghai), a page at a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.cashier.support import Till, new_order, pay, pos
from tests.factories import add_cashier, add_store


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return [order["id"] for order in response.json()["data"]]


def test_orders_newest_first_by_state(client: TestClient, db: Database, till: Till) -> None:
    first, second, third = (new_order(client, till, [{"name": "费", "amount": 100}])["id"] for _ in range(3))
    pay(db, second, 100)
    client.post(f"/v1/orders/{third}/cancel", headers=pos(till.cashier))
    path = f"/v1/stores/{till.store_id}/orders"
    assert ids(client.get(path, headers=pos(till.owner))) == [third, second, first]
    assert ids(client.get(path, params={"status": "paid"}, headers=pos(till.owner))) == [second]
    assert ids(client.get(path, params={"status": "open"}, headers=pos(till.owner))) == [first]
    page = client.get(path, params={"limit": 2}, headers=pos(till.cashier)).json()
    assert page["has_more"] is True
    rest = client.get(
        path, params={"limit": 2, "starting_after": page["data"][-1]["id"]}, headers=pos(till.cashier)
    )
    assert ids(rest) == [first]
    assert rest.json()["has_more"] is False
    assert client.get(path, params={"status": "lost"}, headers=pos(till.owner)).status_code == 422


def test_orders_of_one_business_day(client: TestClient, till: Till) -> None:
    # 15:59 UTC is 23:59 in Shanghai on 1 March; two minutes later it is 2 March there.
    clock.freeze(datetime(2025, 3, 1, 15, 59, tzinfo=UTC))
    late = new_order(client, till, [{"name": "费", "amount": 100}])["id"]
    clock.advance(timedelta(minutes=2))
    early = new_order(client, till, [{"name": "费", "amount": 100}])["id"]
    path = f"/v1/stores/{till.store_id}/orders"
    assert ids(client.get(path, params={"date": "2025-03-01"}, headers=pos(till.owner))) == [late]
    assert ids(client.get(path, params={"date": "2025-03-02"}, headers=pos(till.owner))) == [early]
    assert ids(client.get(path, params={"date": "2025-03-03"}, headers=pos(till.owner))) == []


def test_a_store_lists_only_its_own_orders(
    client: TestClient, db: Database, settings: Settings, till: Till
) -> None:
    mine = new_order(client, till, [{"name": "费", "amount": 100}])["id"]
    second_store = add_store(client, till.owner, till.merchant_id, name="静安店")
    assert ids(client.get(f"/v1/stores/{second_store}/orders", headers=pos(till.owner))) == []
    assert ids(client.get(f"/v1/stores/{till.store_id}/orders", headers=pos(till.owner))) == [mine]
    # A cashier of the other store does not see this store at all.
    elsewhere = add_cashier(client, till.owner, till.merchant_id, [second_store])
    response = client.get(f"/v1/stores/{till.store_id}/orders", headers=pos(elsewhere))
    assert response.status_code == 404
