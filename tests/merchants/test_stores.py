"""Stores: the owner opens them (exact coordinates, opening hours), their people and the bank read them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.merchants.models import Store
from finlife.settings import Settings
from tests.factories import add_store, approved_merchant, headers, merchant_body, staff_token, store_body
from tests.merchants.support import audit_of, events_of


def test_the_owner_opens_a_store_with_exact_coordinates(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    body = store_body(latitude=31.2304, longitude="-121.4737")
    response = client.post(f"/v1/merchants/{shop.merchant_id}/stores", json=body, headers=headers(shop.owner))
    assert response.status_code == 201, response.text
    store = response.json()
    assert store["id"].startswith("sto_") and store["merchant_id"] == shop.merchant_id
    assert (store["latitude"], store["longitude"]) == ("31.230400", "-121.473700")
    assert (store["district"], store["opening_hours"], store["status"]) == ("徐汇区", "10:00-22:00", "active")
    with db.unit_of_work() as session:
        row = session.execute(select(Store).where(Store.public_id == store["id"])).scalar_one()
        assert (row.latitude_micro, row.longitude_micro) == (31_230_400, -121_473_700)
    assert client.get(f"/v1/stores/{store['id']}", headers=headers(shop.owner)).json() == store
    assert [a for a, _ in audit_of(db, store["id"])] == ["merchant.store_created"]
    (event,) = events_of(db, "merchant.store_created")
    assert (event["store_id"], event["merchant_id"]) == (store["id"], shop.merchant_id)


def test_whole_degrees_and_the_extremes_are_accepted(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    url = f"/v1/merchants/{shop.merchant_id}/stores"
    store = client.post(
        url, json=store_body(latitude=-90, longitude="180.000000"), headers=headers(shop.owner)
    ).json()
    assert (store["latitude"], store["longitude"]) == ("-90.000000", "180.000000")
    store = client.post(
        url, json=store_body(latitude="0.000001", longitude=0), headers=headers(shop.owner)
    ).json()
    assert (store["latitude"], store["longitude"]) == ("0.000001", "0.000000")


def test_coordinates_out_of_range_or_too_precise_are_refused(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    url = f"/v1/merchants/{shop.merchant_id}/stores"
    for field, value in (
        ("latitude", "90.000001"),
        ("latitude", -91),
        ("longitude", "180.5"),
        ("longitude", "121.1234567"),
        ("latitude", "31.2304001"),
    ):
        response = client.post(url, json=store_body(**{field: value}), headers=headers(shop.owner))
        assert response.status_code == 422, (field, value)
        assert (response.json()["code"], response.json()["field"]) == ("invalid_coordinates", field)
    for bad in ("north", "NaN", "Infinity", None):
        response = client.post(url, json=store_body(latitude=bad), headers=headers(shop.owner))
        assert response.status_code == 422, bad
    assert client.get(url, headers=headers(shop.owner)).json()["data"] == []


def test_opening_hours_are_one_daily_range(client: TestClient, db: Database, settings: Settings) -> None:
    shop = approved_merchant(client, db, settings)
    url = f"/v1/merchants/{shop.merchant_id}/stores"
    for hours in ("22:00-02:00", "00:00-24:00", "08:30-21:45"):
        response = client.post(url, json=store_body(opening_hours=hours), headers=headers(shop.owner))
        assert response.status_code == 201, hours
    for hours in ("10:00-10:00", "25:00-22:00", "10:00-24:30", "10-22", "10:00 - 22:00", "１０:00-22:00"):
        response = client.post(url, json=store_body(opening_hours=hours), headers=headers(shop.owner))
        assert (response.status_code, response.json()["code"]) == (422, "invalid_opening_hours"), hours


def test_stores_are_listed_newest_first_for_the_owner_and_the_bank(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    first = add_store(client, shop.owner, shop.merchant_id, name="一店")
    second = add_store(client, shop.owner, shop.merchant_id, name="二店")
    teller = staff_token(client, db, settings, Role.TELLER)
    for token in (shop.owner, teller):
        page = client.get(f"/v1/merchants/{shop.merchant_id}/stores", headers=headers(token)).json()
        assert ([s["id"] for s in page["data"]], page["has_more"]) == ([second, first], False)
        assert client.get(f"/v1/stores/{first}", headers=headers(token)).json()["name"] == "一店"
    one = client.get(
        f"/v1/merchants/{shop.merchant_id}/stores", params={"limit": 1}, headers=headers(teller)
    ).json()
    assert ([s["id"] for s in one["data"]], one["has_more"]) == ([second], True)
    # The bank reads stores but does not open them.
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    assert (
        client.post(
            f"/v1/merchants/{shop.merchant_id}/stores", json=store_body(), headers=headers(admin)
        ).status_code
        == 403
    )
    assert client.get("/v1/stores/sto_unknown", headers=headers(teller)).status_code == 404


def test_a_merchant_not_yet_approved_has_no_stores(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    # The owner (who holds the role from their first merchant) applies for a second one.
    body = merchant_body(shop.settlement_account_id, legal_name="第二家公司")
    pending = client.post("/v1/merchants", json=body, headers=headers(shop.owner)).json()["id"]
    response = client.post(f"/v1/merchants/{pending}/stores", json=store_body(), headers=headers(shop.owner))
    assert (response.status_code, response.json()["code"]) == (409, "merchant_not_active")
    assert client.get(f"/v1/merchants/{pending}/stores", headers=headers(shop.owner)).json()["data"] == []
