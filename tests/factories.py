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
