"""The teller's unlock button on the customer page (/bank/customers/{id}): shown only while the
customer's login is frozen and only to staff who hold ``identity_verification`` (the capability of
``POST /v1/customers/{id}/sign-in-unlock``); it reopens the login once the ID number matches."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit import permissions
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.kit.permissions import Capability
from finlife.settings import Settings
from tests.factories import PASSWORD, make_user, resident_id, signup_customer, unique_phone, verify_in_person
from tests.web.conftest import csrf_of
from tests.web.forms import signed_in, submit

WRONG = "wrong-password-1"


def _token(client: TestClient, username: str, password: str) -> httpx.Response:
    body = {"grant_type": "password", "username": username, "password": password}
    return client.post("/v1/auth/token", data=body)


@pytest.fixture
def capped(app: FastAPI, settings: Settings) -> Iterator[None]:
    app.state.settings = settings.model_copy(update={"login_failure_cap": 3})
    try:
        yield
    finally:
        app.state.settings = settings


def _customer(client: TestClient, db: Database, settings: Settings) -> tuple[str, str, str]:
    phone, id_number = unique_phone(), resident_id()
    customer_id, _ = signup_customer(client, phone=phone, name="林黛玉")
    verify_in_person(client, db, settings, customer_id, name="林黛玉", id_number=id_number)
    return customer_id, phone, id_number


def _freeze(app: FastAPI, client: TestClient, phone: str) -> None:
    for n in range(3):
        with TestClient(app, client=(f"192.0.2.{n + 1}", 40000)) as botnet:
            assert _token(botnet, phone, WRONG).status_code == 401
    assert _token(client, phone, PASSWORD).status_code == 423


def test_the_teller_unlocks_a_frozen_login_after_checking_the_id(
    app: FastAPI, client: TestClient, db: Database, settings: Settings, capped: None
) -> None:
    customer_id, phone, id_number = _customer(client, db, settings)
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    page = f"/bank/customers/{customer_id}"
    action = f"{page}/sign-in-unlock"
    assert f'action="{action}"' not in teller.get(page).text  # not frozen: no button

    _freeze(app, client, phone)
    shown = teller.get(page).text
    assert f'action="{action}"' in shown and "登录已冻结" in shown
    wrong = submit(teller, page, action, {"id_number": resident_id()})
    assert wrong.status_code == 409
    assert "身份证号与客户已核验的证件号不一致" in wrong.text and f'action="{action}"' in wrong.text
    assert _token(client, phone, PASSWORD).status_code == 423

    unlocked = submit(teller, page, action, {"id_number": id_number.lower()})
    assert (unlocked.status_code, unlocked.headers["location"]) == (303, page)
    after = teller.get(page).text
    assert "客户登录已解锁" in after and f'action="{action}"' not in after
    assert _token(client, phone, PASSWORD).status_code == 200
    teller.cookies.set("lang", "en")
    _freeze(app, client, phone)
    assert "Check the ID and unlock" in teller.get(page).text


def test_staff_without_identity_verification_see_no_button_and_cannot_post(
    app: FastAPI,
    client: TestClient,
    db: Database,
    settings: Settings,
    capped: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer_id, phone, id_number = _customer(client, db, settings)
    _freeze(app, client, phone)
    # Tellers read customer records; here they may not verify identities (only bank admins may).
    monkeypatch.setitem(permissions.HOLDERS, Capability.IDENTITY_VERIFICATION, frozenset({Role.BANK_ADMIN}))
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    page = f"/bank/customers/{customer_id}"
    action = f"{page}/sign-in-unlock"
    shown = teller.get(page)
    assert shown.status_code == 200 and f'action="{action}"' not in shown.text
    csrf_page = teller.get("/bank/customers").text  # any form of the console carries the CSRF token
    refused = teller.post(action, data={"csrf_token": csrf_of(csrf_page), "id_number": id_number})
    assert refused.status_code == 403
    assert _token(client, phone, PASSWORD).status_code == 423
