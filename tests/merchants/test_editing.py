"""The owner edits stores (PATCH /v1/stores/{id}) and manages cashiers: disable, enable, new password."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.search import service as search
from finlife.settings import Settings
from tests.factories import PASSWORD, add_store, approved_merchant, headers, sign_in, staff_token
from tests.merchants.support import audit_of, events_of


def _edit(client: TestClient, token: str, store_id: str, body: Any) -> tuple[int, dict[str, Any]]:
    response = client.patch(f"/v1/stores/{store_id}", json=body, headers=headers(token))
    return response.status_code, response.json()


def _found(db: Database, words: str) -> set[str]:
    with db.unit_of_work() as session:
        return set(session.execute(search.matching_store_ids(session, words)).scalars())


def test_the_owner_edits_a_store_and_search_finds_it_by_its_new_name(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id, name="老店")
    changes = {
        "name": " 滨江新店 ",
        "address": "上海市浦东新区滨江大道 1 号",
        "district": "浦东新区",
        "latitude": "31.240000",
        "longitude": 121.5,
        "category": "cafe",
        "opening_hours": "08:00-20:00",
    }
    status, body = _edit(client, shop.owner, store, changes)
    assert status == 200, body
    assert {k: body[k] for k in changes} == changes | {
        "name": "滨江新店",
        "latitude": "31.240000",
        "longitude": "121.500000",
    }
    assert client.get(f"/v1/stores/{store}", headers=headers(shop.owner)).json() == body
    assert store in _found(db, "滨江新店") and store not in _found(db, "老店")
    assert [a for a, _ in audit_of(db, store)] == ["merchant.store_created", "merchant.store_updated"]
    (event,) = events_of(db, "merchant.store_updated")
    assert event["changed"] == sorted(
        ["name", "address", "district", "latitude_micro", "longitude_micro", "category", "opening_hours"]
    )
    # Only what is sent changes; sending what it already is records nothing.
    status, body = _edit(client, shop.owner, store, {"opening_hours": "08:00-20:00"})
    assert (status, body["name"]) == (200, "滨江新店")
    assert len(events_of(db, "merchant.store_updated")) == 1


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"opening_hours": "25:00-26:00"}, "invalid_opening_hours", "opening_hours"),
        ({"latitude": "91"}, "invalid_coordinates", "latitude"),
        ({"longitude": "121.1234567"}, "invalid_coordinates", "longitude"),
        ({"name": "   "}, "validation_error", "name"),
        ({"name": ""}, "validation_error", "name"),
        ({"name": None}, "validation_error", None),
        ({"name": 7}, "validation_error", "name"),
        ({"status": "closed"}, "validation_error", "status"),
    ],
)
def test_a_store_edit_is_held_to_the_rules_it_opened_under(
    client: TestClient,
    db: Database,
    settings: Settings,
    changes: dict[str, Any],
    code: str,
    field: str | None,
) -> None:
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id, name="老店")
    before = client.get(f"/v1/stores/{store}", headers=headers(shop.owner)).json()
    status, body = _edit(client, shop.owner, store, changes)
    assert (status, body["code"]) == (422, code), body
    if field is not None:
        assert field in str(body.get("errors", body.get("field")))
    assert client.get(f"/v1/stores/{store}", headers=headers(shop.owner)).json() == before
    assert events_of(db, "merchant.store_updated") == []


def test_only_the_owner_of_that_merchant_edits_its_stores(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    other = approved_merchant(client, db, settings, legal_name="别家公司")
    store = add_store(client, shop.owner, shop.merchant_id, name="老店")
    cashier = _cashier(client, shop.owner, shop.merchant_id, [store], "cashier.edit")
    cashier_token = sign_in(client, username="cashier.edit", channel="pos")
    teller = staff_token(client, db, settings, Role.TELLER)
    assert _edit(client, other.owner, store, {"name": "抢走"})[0] == 404
    assert _edit(client, cashier_token, store, {"name": "改名"})[0] == 403
    assert _edit(client, teller, store, {"name": "改名"})[0] == 403
    assert _edit(client, shop.owner, "sto_unknown", {"name": "改名"})[0] == 404
    assert client.get(f"/v1/stores/{store}", headers=headers(shop.owner)).json()["name"] == "老店"
    assert cashier["status"] == "active"


def _cashier(
    client: TestClient, owner: str, merchant_id: str, store_ids: list[str], username: str
) -> dict[str, Any]:
    body = {"username": username, "password": PASSWORD, "name": "李 收银", "store_ids": store_ids}
    response = client.post(f"/v1/merchants/{merchant_id}/staff", json=body, headers=headers(owner))
    assert response.status_code == 201, response.text
    member: dict[str, Any] = response.json()
    return member


def _sign_in_status(client: TestClient, username: str, password: str = PASSWORD) -> tuple[int, str]:
    response = client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
        headers={"X-Channel": "pos"},
    )
    return response.status_code, response.json().get("code", "")


def test_a_disabled_cashier_cannot_sign_in_and_their_token_reaches_nothing(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id)
    member = _cashier(client, shop.owner, shop.merchant_id, [store], "cashier.off")
    token = sign_in(client, username="cashier.off", channel="pos")
    base = f"/v1/merchants/{shop.merchant_id}/staff/{member['id']}"
    disabled = client.post(f"{base}/disable", headers=headers(shop.owner))
    assert (disabled.status_code, disabled.json()["status"]) == (200, "disabled")
    assert _sign_in_status(client, "cashier.off") == (403, "sign_in_disabled")
    assert _sign_in_status(client, "cashier.off", "wrong-password-1") == (401, "invalid_credentials")
    assert client.get(f"/v1/stores/{store}", headers=headers(token)).status_code == 404
    assert client.get(f"/v1/merchants/{shop.merchant_id}", headers=headers(token)).status_code == 404
    listed = client.get(f"/v1/merchants/{shop.merchant_id}/staff", headers=headers(shop.owner)).json()
    assert {s["username"]: s["status"] for s in listed["data"]}["cashier.off"] == "disabled"
    # Twice is once.
    assert client.post(f"{base}/disable", headers=headers(shop.owner)).status_code == 200
    enabled = client.post(f"{base}/enable", headers=headers(shop.owner))
    assert (enabled.status_code, enabled.json()["status"]) == (200, "active")
    assert client.get(f"/v1/stores/{store}", headers=headers(token)).status_code == 200
    assert sign_in(client, username="cashier.off", channel="pos")
    assert [a for a, _ in audit_of(db, member["id"])] == [
        "merchant.staff_added",
        "merchant.staff_disabled",
        "merchant.staff_enabled",
    ]


def test_the_owner_gives_a_cashier_a_new_password_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id)
    member = _cashier(client, shop.owner, shop.merchant_id, [store], "cashier.reset")
    url = f"/v1/merchants/{shop.merchant_id}/staff/{member['id']}/password-reset"
    response = client.post(url, headers=headers(shop.owner))
    assert response.status_code == 200, response.text
    body = response.json()
    password = body["temporary_password"]
    assert len(password) == 12 and body["staff"]["username"] == "cashier.reset"
    assert _sign_in_status(client, "cashier.reset") == (401, "invalid_credentials")
    assert sign_in(client, username="cashier.reset", password=password, channel="pos")
    again = client.post(url, headers=headers(shop.owner)).json()["temporary_password"]
    assert again != password
    recorded = str(audit_of(db, member["id"])) + str(events_of(db, "merchant.staff_password_reset"))
    assert "merchant.staff_password_reset" in recorded
    assert password not in recorded and again not in recorded


def test_staff_are_managed_by_their_own_owner_alone_and_never_themselves(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    other = approved_merchant(client, db, settings, legal_name="别家公司")
    store = add_store(client, shop.owner, shop.merchant_id)
    member = _cashier(client, shop.owner, shop.merchant_id, [store], "cashier.kept")
    cashier = sign_in(client, username="cashier.kept", channel="pos")
    staff = client.get(f"/v1/merchants/{shop.merchant_id}/staff", headers=headers(shop.owner)).json()
    owner_member = next(s for s in staff["data"] if s["role"] == "owner")
    mine = f"/v1/merchants/{shop.merchant_id}/staff"
    for action in ("disable", "password-reset"):
        refused = client.post(f"{mine}/{owner_member['id']}/{action}", headers=headers(shop.owner))
        assert (refused.status_code, refused.json()["code"]) == (409, "staff_is_you")
        # Another merchant's owner: their own merchant does not know this person; this one is not theirs.
        assert (
            client.post(
                f"/v1/merchants/{other.merchant_id}/staff/{member['id']}/{action}",
                headers=headers(other.owner),
            ).status_code
            == 404
        )
        assert client.post(f"{mine}/{member['id']}/{action}", headers=headers(other.owner)).status_code == 404
        assert client.post(f"{mine}/{member['id']}/{action}", headers=headers(cashier)).status_code == 403
        assert client.post(f"{mine}/mst_unknown/{action}", headers=headers(shop.owner)).status_code == 404
    assert sign_in(client, username="cashier.kept", channel="pos")
    assert sign_in(client, username=shop.owner_username)
    assert events_of(db, "merchant.staff_disabled") == []
    assert events_of(db, "merchant.staff_password_reset") == []
