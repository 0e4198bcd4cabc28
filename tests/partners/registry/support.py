"""Two bank admins and a partner registered through the API, as the registry's tests need them."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, staff_token


@dataclass(frozen=True)
class Admins:
    creator: str  # tokens of two different bank admins
    approver: str


def two_admins(client: TestClient, db: Database, settings: Settings) -> Admins:
    return Admins(
        staff_token(client, db, settings, Role.BANK_ADMIN), staff_token(client, db, settings, Role.BANK_ADMIN)
    )


def ed25519_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def ed25519_raw_base64() -> str:
    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def partner_body(**fields: Any) -> dict[str, Any]:
    return {
        "name": "好邻居生活",
        "kind": "ecommerce",
        "contact": "dev@partner.example",
        "redirect_uris": ["https://partner.example/callback", "http://localhost:8080/callback"],
        "scopes": ["accounts:read", "transactions:read"],
        **fields,
    }


def register(client: TestClient, admin: str, **fields: Any) -> dict[str, Any]:
    answer = client.post("/v1/partners", json=partner_body(**fields), headers=headers(admin))
    assert answer.status_code == 201, answer.text
    registered: dict[str, Any] = answer.json()
    return registered


def active_partner(client: TestClient, admins: Admins, **fields: Any) -> dict[str, Any]:
    """A partner registered by one admin and approved by the other: its secret works."""
    partner = register(client, admins.creator, **fields)
    approved = client.post(f"/v1/partners/{partner['id']}/approve", headers=headers(admins.approver))
    assert approved.status_code == 200, approved.text
    return partner
