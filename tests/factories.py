"""Keyword-only factories with safe defaults; each goes through the public service or API."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient

from finlife.identity import service as identity
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings

_sequence = itertools.count(1)
PASSWORD = "correct-horse-9"


def unique_phone() -> str:
    return f"139{next(_sequence):08d}"


def headers(token: str | None = None, *, channel: str = "web", **extra: str) -> dict[str, str]:
    out = {"X-Channel": channel, **extra}
    if token:
        out["Authorization"] = f"Bearer {token}"
    return out


def sign_in(client: TestClient, *, username: str, password: str = PASSWORD) -> str:
    response = client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def make_user(
    db: Database,
    settings: Settings,
    *,
    roles: tuple[Role, ...] = (Role.TELLER,),
    username: str | None = None,
    password: str = PASSWORD,
    customer_id: str | None = None,
) -> str:
    """Create a login directly through the identity service; returns the username."""
    username = username or f"user{next(_sequence)}"
    with db.unit_of_work() as session:
        identity.create_user(
            session,
            settings,
            username=username,
            password=password,
            roles=list(roles),
            customer_id=customer_id,
        )
    return username


def staff_token(client: TestClient, db: Database, settings: Settings, *roles: Role) -> str:
    username = make_user(db, settings, roles=roles or (Role.TELLER,))
    return sign_in(client, username=username)


def json_of(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    return body


def signup_customer(
    client: TestClient, *, phone: str | None = None, name: str = "张三", password: str = PASSWORD
) -> tuple[str, str]:
    """Register a customer through POST /v1/signup and sign in; returns (customer_id, token)."""
    phone = phone or unique_phone()
    response = client.post(
        "/v1/signup", json={"phone": phone, "password": password, "name": name}, headers=headers()
    )
    assert response.status_code == 201, response.text
    return response.json()["id"], sign_in(client, username=phone, password=password)


def verify_in_person(
    client: TestClient, db: Database, settings: Settings, customer_id: str, *, name: str, id_number: str
) -> dict[str, Any]:
    """A teller at the branch verifies the customer's resident ID; returns the customer record."""
    teller = staff_token(client, db, settings, Role.TELLER)
    response = client.post(
        f"/v1/customers/{customer_id}/verifications",
        json={"name": name, "id_number": id_number},
        headers=headers(teller, channel="branch"),
    )
    assert response.status_code == 200, response.text
    return json_of(response)
