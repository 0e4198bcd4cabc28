"""Cashier logins limited to stores, and POS terminals bound to stores."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.db import Database
from finlife.kit.errors import NotFound
from finlife.merchants import service as merchants
from finlife.merchants.service import stores as stores_service
from finlife.settings import Settings
from tests.factories import PASSWORD, add_cashier, add_store, approved_merchant, headers, sign_in, staff_token
from tests.merchants.support import audit_of, events_of


def _terminal(client: TestClient, token: str, store_id: str) -> tuple[int, dict[str, Any]]:
    response = client.post(f"/v1/stores/{store_id}/terminals", headers=headers(token))
    return response.status_code, response.json()


def test_the_owner_adds_a_cashier_who_signs_in_for_their_stores(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    front = add_store(client, shop.owner, shop.merchant_id, name="前店")
    back = add_store(client, shop.owner, shop.merchant_id, name="后店")
    body = {"username": "cashier.li", "password": PASSWORD, "name": "李 收银", "store_ids": [front, front]}
    response = client.post(f"/v1/merchants/{shop.merchant_id}/staff", json=body, headers=headers(shop.owner))
    assert response.status_code == 201, response.text
    member = response.json()
    assert (member["role"], member["username"], member["name"], member["store_ids"]) == (
        "cashier",
        "cashier.li",
        "李 收银",
        [front],
    )
    cashier = sign_in(client, username="cashier.li")
    me = client.get("/v1/me", headers=headers(cashier)).json()
    assert (me["roles"], me["user_id"]) == (["cashier"], member["user_id"])
    assert client.get(f"/v1/merchants/{shop.merchant_id}", headers=headers(cashier)).status_code == 200
    stores = client.get(f"/v1/merchants/{shop.merchant_id}/stores", headers=headers(cashier)).json()["data"]
    assert [s["id"] for s in stores] == [front]
    assert client.get(f"/v1/stores/{front}", headers=headers(cashier)).status_code == 200
    assert client.get(f"/v1/stores/{back}", headers=headers(cashier)).status_code == 404
    assert client.get(f"/v1/stores/{back}/terminals", headers=headers(cashier)).status_code == 404
    # A cashier manages nothing and does not read the staff list.
    assert client.get(f"/v1/merchants/{shop.merchant_id}/staff", headers=headers(cashier)).status_code == 403
    assert _terminal(client, cashier, front)[0] == 403
    staff = client.get(f"/v1/merchants/{shop.merchant_id}/staff", headers=headers(shop.owner)).json()["data"]
    assert [(s["role"], s["store_ids"]) for s in staff] == [("cashier", [front]), ("owner", None)]
    teller = staff_token(client, db, settings, Role.TELLER)
    assert (
        len(client.get(f"/v1/merchants/{shop.merchant_id}/staff", headers=headers(teller)).json()["data"])
        == 2
    )
    assert audit_of(db, member["id"])[0][0] == "merchant.staff_added"
    (event,) = events_of(db, "merchant.staff_added")
    assert (event["user_id"], event["store_ids"]) == (member["user_id"], [front])
    assert PASSWORD not in str(event) and PASSWORD not in str(audit_of(db, member["id"]))


def test_a_cashiers_stores_are_the_merchants_own(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    other = approved_merchant(client, db, settings, legal_name="别家公司")
    mine = add_store(client, shop.owner, shop.merchant_id)
    theirs = add_store(client, other.owner, other.merchant_id)
    url = f"/v1/merchants/{shop.merchant_id}/staff"
    for store_ids in ([theirs], [mine, theirs], ["sto_unknown"]):
        body = {"username": "cashier.one", "password": PASSWORD, "name": "收银", "store_ids": store_ids}
        response = client.post(url, json=body, headers=headers(shop.owner))
        assert (response.status_code, response.json()["code"]) == (422, "invalid_store_ids")
    empty = {"username": "cashier.one", "password": PASSWORD, "name": "收银", "store_ids": []}
    assert client.post(url, json=empty, headers=headers(shop.owner)).status_code == 422
    weak = {"username": "cashier.one", "password": "short", "name": "收银", "store_ids": [mine]}
    assert client.post(url, json=weak, headers=headers(shop.owner)).json()["code"] == "weak_password"
    taken = {"username": shop.owner_username, "password": PASSWORD, "name": "收银", "store_ids": [mine]}
    response = client.post(url, json=taken, headers=headers(shop.owner))
    assert (response.status_code, response.json()["code"]) == (409, "username_taken")
    assert events_of(db, "merchant.staff_added") == []


def test_the_bank_assigns_each_terminal_an_unguessable_id(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id)
    status, body = _terminal(client, shop.owner, store)
    assert status == 201
    terminal_id = body["terminal_id"]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", terminal_id), terminal_id  # ISO 8583 field 41
    assert body == {
        "terminal_id": terminal_id,
        "store_id": store,
        "merchant_id": shop.merchant_id,
        "status": "active",
    }
    assert [a for a, _ in audit_of(db, terminal_id)] == ["merchant.terminal_added"]
    assert events_of(db, "merchant.terminal_added")[0]["store_id"] == store
    more = {_terminal(client, shop.owner, store)[1]["terminal_id"] for _ in range(20)}
    assert len(more | {terminal_id}) == 21  # drawn afresh each time, never a sequence
    with db.unit_of_work() as session:
        facts = merchants.terminal_facts(session, terminal_id)
    assert (facts.store_id, facts.merchant_id, facts.status) == (store, shop.merchant_id, "active")


def test_a_terminal_id_the_merchant_chooses_is_refused(
    client: TestClient, db: Database, settings: Settings
) -> None:
    """A rival cannot take the ids another merchant will use: nobody chooses one."""
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id)
    chosen = client.post(
        f"/v1/stores/{store}/terminals", json={"terminal_id": "T0000001"}, headers=headers(shop.owner)
    )
    assert (chosen.status_code, chosen.json()["code"]) == (422, "validation_error")
    assert chosen.json()["errors"][0]["field"] == "terminal_id"
    listed = client.get(f"/v1/stores/{store}/terminals", headers=headers(shop.owner)).json()["data"]
    assert listed == []


def test_an_id_drawn_twice_is_drawn_again(
    client: TestClient, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = approved_merchant(client, db, settings)
    store = add_store(client, shop.owner, shop.merchant_id)
    taken = _terminal(client, shop.owner, store)[1]["terminal_id"]
    draws = iter([taken, taken, "FRESH123"])
    monkeypatch.setattr(stores_service, "new_terminal_id", lambda: next(draws))
    status, body = _terminal(client, shop.owner, store)
    assert (status, body["terminal_id"]) == (201, "FRESH123")
    listed = client.get(f"/v1/stores/{store}/terminals", headers=headers(shop.owner)).json()["data"]
    assert sorted(t["terminal_id"] for t in listed) == sorted([taken, "FRESH123"])


def test_other_modules_read_access_and_facts_through_the_service(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = approved_merchant(client, db, settings)
    front = add_store(client, shop.owner, shop.merchant_id)
    add_store(client, shop.owner, shop.merchant_id)
    cashier_token = add_cashier(client, shop.owner, shop.merchant_id, [front])
    owner = client.get("/v1/me", headers=headers(shop.owner)).json()
    cashier = client.get("/v1/me", headers=headers(cashier_token)).json()
    owner_actor = Actor(channel=Channel.WEB, user_id=owner["user_id"], roles=frozenset({Role.MERCHANT_OWNER}))
    cashier_actor = Actor(channel=Channel.POS, user_id=cashier["user_id"], roles=frozenset({Role.CASHIER}))
    with db.unit_of_work() as session:
        owner_access = merchants.merchant_access(session, owner_actor, shop.merchant_id, manage=True)
        assert (owner_access.role, owner_access.store_ids, owner_access.status) == ("owner", None, "active")
        cashier_access = merchants.merchant_access(session, cashier_actor, shop.merchant_id)
        assert (cashier_access.role, cashier_access.store_ids) == ("cashier", frozenset({front}))
        access, store = merchants.store_access(session, cashier_actor, front)
        assert (access.role, store.id) == ("cashier", front)
        assert [a.merchant_id for a in merchants.merchants_of(session, cashier_actor)] == [shop.merchant_id]
        assert merchants.merchants_of(session, Actor(channel=Channel.WEB, user_id="usr_nobody")) == []
        staff = Actor(channel=Channel.BRANCH, user_id="usr_teller", roles=frozenset({Role.TELLER}))
        assert merchants.merchant_access(session, staff, shop.merchant_id).role == "staff"
    with db.unit_of_work() as session, pytest.raises(NotFound) as raised:
        merchants.terminal_facts(session, "NONE0000")
    assert raised.value.params == {"what": "terminal"}
