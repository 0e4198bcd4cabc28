"""A merchant's people see only their merchant (a cashier only their stores): everything else is 404."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import (
    PASSWORD,
    MerchantLogins,
    add_cashier,
    add_store,
    applicant,
    approved_merchant,
    headers,
    store_body,
)


@dataclass(frozen=True)
class Tenant:
    logins: MerchantLogins
    store_id: str
    cashier: str


def _tenant(client: TestClient, db: Database, settings: Settings, name: str) -> Tenant:
    logins = approved_merchant(client, db, settings, legal_name=name)
    store_id = add_store(client, logins.owner, logins.merchant_id)
    response = client.post(f"/v1/stores/{store_id}/terminals", headers=headers(logins.owner))
    assert response.status_code == 201, response.text
    return Tenant(logins, store_id, add_cashier(client, logins.owner, logins.merchant_id, [store_id]))


@pytest.fixture
def two(client: TestClient, db: Database, settings: Settings) -> tuple[Tenant, Tenant]:
    return _tenant(client, db, settings, "甲公司"), _tenant(client, db, settings, "乙公司")


def test_another_merchants_people_get_404_for_every_read(
    client: TestClient, two: tuple[Tenant, Tenant]
) -> None:
    first, second = two
    merchant_id = first.logins.merchant_id
    for token in (second.logins.owner, second.cashier):
        for path in (
            f"/v1/merchants/{merchant_id}",
            f"/v1/merchants/{merchant_id}/stores",
            f"/v1/merchants/{merchant_id}/staff",
            f"/v1/stores/{first.store_id}",
            f"/v1/stores/{first.store_id}/terminals",
        ):
            response = client.get(path, headers=headers(token))
            assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
        listed = client.get("/v1/merchants", headers=headers(token)).json()["data"]
        assert [m["id"] for m in listed] == [second.logins.merchant_id]


def test_another_merchants_owner_gets_404_for_every_change(
    client: TestClient, two: tuple[Tenant, Tenant]
) -> None:
    first, second = two
    merchant_id, owner = first.logins.merchant_id, second.logins.owner
    staff = {"username": "intruder", "password": PASSWORD, "name": "x", "store_ids": [second.store_id]}
    for path, body in (
        (f"/v1/merchants/{merchant_id}/stores", store_body()),
        (f"/v1/merchants/{merchant_id}/staff", staff),
        (f"/v1/stores/{first.store_id}/terminals", {}),
    ):
        response = client.post(path, json=body, headers=headers(owner))
        assert response.status_code == 404, path
    stores = client.get(f"/v1/merchants/{merchant_id}/stores", headers=headers(first.logins.owner)).json()[
        "data"
    ]
    assert [s["id"] for s in stores] == [first.store_id]


def test_a_customer_with_no_merchant_sees_none(
    client: TestClient, db: Database, settings: Settings, two: tuple[Tenant, Tenant]
) -> None:
    first, _ = two
    person = applicant(client, db, settings, name="路人")
    assert (
        client.get(f"/v1/merchants/{first.logins.merchant_id}", headers=headers(person.token)).status_code
        == 404
    )
    assert client.get(f"/v1/stores/{first.store_id}", headers=headers(person.token)).status_code == 404
    assert client.get("/v1/merchants", headers=headers(person.token)).json()["data"] == []
    assert client.get("/v1/merchants").status_code == 401
