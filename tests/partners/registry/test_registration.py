"""Registering a partner: each refusal with its code, the secret shown once, the second admin's approval."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.partners.registry.checks import fingerprint
from finlife.settings import Settings
from tests.factories import headers, staff_token
from tests.partners.registry.support import (
    Admins,
    ed25519_pem,
    ed25519_raw_base64,
    partner_body,
    register,
    two_admins,
)


@pytest.fixture
def admins(client: TestClient, db: Database, settings: Settings) -> Admins:
    return two_admins(client, db, settings)


def test_a_registered_partner_waits_for_approval_and_its_secret_is_shown_once(
    client: TestClient, admins: Admins
) -> None:
    key = ed25519_pem()
    partner = register(client, admins.creator, public_key=key)
    assert partner["status"] == "pending_approval"
    assert partner["id"].startswith("ptn_") and partner["client_id"].startswith("cli_")
    assert len(partner["client_secret"]) >= 40
    assert partner["api_level"] == "A2"  # customer scopes were asked
    assert partner["scopes"] == ["accounts:read", "transactions:read"]
    assert partner["public_key"] == key
    assert partner["public_key_fingerprint"] == fingerprint(key)
    read = client.get(f"/v1/partners/{partner['id']}", headers=headers(admins.creator))
    assert read.status_code == 200
    assert "client_secret" not in read.json() and partner["client_secret"] not in read.text
    listed = client.get(
        "/v1/partners", params={"status": "pending_approval"}, headers=headers(admins.creator)
    )
    assert [p["id"] for p in listed.json()["data"]] == [partner["id"]]
    assert partner["client_secret"] not in listed.text


def test_a_retry_with_the_same_key_registers_nothing_more_and_shows_no_secret(
    client: TestClient, admins: Admins
) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = client.post("/v1/partners", json=partner_body(), headers=headers(admins.creator, **key))
    again = client.post("/v1/partners", json=partner_body(), headers=headers(admins.creator, **key))
    assert first.status_code == again.status_code == 201
    assert first.json()["client_secret"] and again.json()["client_secret"] is None
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(client.get("/v1/partners", headers=headers(admins.creator)).json()["data"]) == 1


def test_a_raw_base64_key_is_kept_as_pem(client: TestClient, admins: Admins) -> None:
    partner = register(client, admins.creator, public_key=ed25519_raw_base64())
    assert partner["public_key"].startswith("-----BEGIN PUBLIC KEY-----")


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"kind": "bank"}, "validation_error", "kind"),
        ({"scopes": ["accounts:read", "everything"]}, "validation_error", "scopes.1"),
        ({"redirect_uris": ["http://partner.example/cb"]}, "partner_redirect_uri_invalid", "redirect_uris.0"),
        (
            {"redirect_uris": ["https://ok.example/cb", "/relative"]},
            "partner_redirect_uri_invalid",
            "redirect_uris.1",
        ),
        (
            {"redirect_uris": ["https://partner.example/cb#frag"]},
            "partner_redirect_uri_invalid",
            "redirect_uris.0",
        ),
        ({"public_key": "not a key"}, "partner_public_key_invalid", "public_key"),
        ({"public_key": "AAAA"}, "partner_public_key_invalid", "public_key"),
        ({"api_level": "A1"}, "partner_level_forbids_scopes", "scopes"),
        ({"name": ""}, "validation_error", "name"),
        ({"name": "   "}, "validation_error", "name"),
    ],
)
def test_each_invalid_registration_is_refused_with_its_code(
    client: TestClient, admins: Admins, fields: dict[str, object], code: str, field: str
) -> None:
    answer = client.post("/v1/partners", json=partner_body(**fields), headers=headers(admins.creator))
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["code"] == code
    if code == "validation_error":
        assert [e["field"] for e in problem["errors"]] == [field]
    else:
        assert problem["field"] == field
    assert client.get("/v1/partners", headers=headers(admins.creator)).json()["data"] == []


def test_another_kind_of_key_is_not_an_ed25519_key(client: TestClient, admins: Admins) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    p256_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    answer = client.post(
        "/v1/partners", json=partner_body(public_key=p256_pem), headers=headers(admins.creator)
    )
    assert answer.status_code == 422 and answer.json()["code"] == "partner_public_key_invalid"


def test_a1_without_customer_scopes_and_the_default_level(client: TestClient, admins: Admins) -> None:
    assert register(client, admins.creator, scopes=[], api_level="A1")["api_level"] == "A1"
    assert register(client, admins.creator, scopes=[])["api_level"] == "A1"
    assert register(client, admins.creator, scopes=["accounts:open"])["api_level"] == "A2"


def test_only_another_admin_approves_or_rejects(client: TestClient, admins: Admins) -> None:
    partner = register(client, admins.creator)
    for decision in ("approve", "reject"):
        own = client.post(f"/v1/partners/{partner['id']}/{decision}", headers=headers(admins.creator))
        assert own.status_code == 403 and own.json()["code"] == "partner_approver_is_creator"
    approved = client.post(f"/v1/partners/{partner['id']}/approve", headers=headers(admins.approver))
    assert approved.status_code == 200
    assert approved.json()["status"] == "active" and approved.json()["approved_by"] is not None
    again = client.post(f"/v1/partners/{partner['id']}/reject", headers=headers(admins.approver))
    assert again.status_code == 409 and again.json()["code"] == "partner_wrong_status"
    assert again.json()["title"] == "合作方当前状态（已启用）不允许此操作"  # the status in words
    audit = client.get(
        "/v1/audit-events", params={"subject_id": partner["id"]}, headers=headers(admins.creator)
    )
    assert [e["action"] for e in audit.json()["data"]] == ["partner.approved", "partner.registered"]


def test_a_rejected_partner_stays_rejected(client: TestClient, admins: Admins) -> None:
    partner = register(client, admins.creator)
    rejected = client.post(f"/v1/partners/{partner['id']}/reject", headers=headers(admins.approver))
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    approve = client.post(f"/v1/partners/{partner['id']}/approve", headers=headers(admins.approver))
    assert approve.status_code == 409


def test_the_public_key_is_registered_or_replaced(client: TestClient, admins: Admins) -> None:
    partner = register(client, admins.creator)
    assert partner["public_key"] is None
    key = ed25519_raw_base64()
    answer = client.put(
        f"/v1/partners/{partner['id']}/public-key", json={"public_key": key}, headers=headers(admins.creator)
    )
    assert answer.status_code == 200
    assert answer.json()["public_key_fingerprint"] == fingerprint(key)
    bad = client.put(
        f"/v1/partners/{partner['id']}/public-key", json={"public_key": "x"}, headers=headers(admins.creator)
    )
    assert bad.status_code == 422 and bad.json()["code"] == "partner_public_key_invalid"


def test_an_unknown_partner_is_not_found(client: TestClient, admins: Admins) -> None:
    answer = client.get("/v1/partners/ptn_unknown", headers=headers(admins.creator))
    assert answer.status_code == 404


@pytest.mark.parametrize("role", [Role.TELLER, Role.BRANCH_MARKETING, Role.HQ_MARKETING])
def test_other_staff_may_not_register(
    client: TestClient, db: Database, settings: Settings, role: Role
) -> None:
    token = staff_token(client, db, settings, role)
    assert client.post("/v1/partners", json=partner_body(), headers=headers(token)).status_code == 403
