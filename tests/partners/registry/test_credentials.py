"""Client authentication: only an active partner with its current secret, or the previous one while
the rotation's grace lasts; a suspension stops every token it holds at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.registry import service
from finlife.partners.registry.credentials import authenticate_client
from finlife.settings import Settings
from tests.factories import headers
from tests.partners.factories import MadePartner, partner_token
from tests.partners.registry.support import Admins, active_partner, register, two_admins


@pytest.fixture
def admins(client: TestClient, db: Database, settings: Settings) -> Admins:
    return two_admins(client, db, settings)


def authenticates(db: Database, settings: Settings, client_id: str, secret: str) -> str | None:
    with db.unit_of_work() as session:
        partner = authenticate_client(session, settings, client_id, secret)
        return partner.public_id if partner is not None else None


def made(db: Database, partner: dict[str, object]) -> MadePartner:
    from sqlalchemy import select

    from finlife.partners.models import Partner

    with db.unit_of_work() as session:
        pk = session.execute(select(Partner.id).where(Partner.public_id == partner["id"])).scalar_one()
    return MadePartner(pk, str(partner["id"]), str(partner["client_id"]), str(partner["client_secret"]))


def test_an_approved_partner_authenticates_with_its_secret_only(
    client: TestClient, db: Database, settings: Settings, admins: Admins
) -> None:
    partner = active_partner(client, admins)
    assert authenticates(db, settings, partner["client_id"], partner["client_secret"]) == partner["id"]
    assert authenticates(db, settings, partner["client_id"], partner["client_secret"] + "x") is None
    assert authenticates(db, settings, "cli_unknown", partner["client_secret"]) is None
    assert authenticates(db, settings, partner["client_id"], "") is None


@pytest.mark.parametrize("decision", [None, "reject"])
def test_a_pending_or_rejected_partner_does_not_authenticate(
    client: TestClient, db: Database, settings: Settings, admins: Admins, decision: str | None
) -> None:
    partner = register(client, admins.creator)
    if decision is not None:
        answer = client.post(f"/v1/partners/{partner['id']}/{decision}", headers=headers(admins.approver))
        assert answer.status_code == 200
    assert authenticates(db, settings, partner["client_id"], partner["client_secret"]) is None


def test_the_previous_secret_works_until_the_grace_period_ends(
    client: TestClient, db: Database, settings: Settings, admins: Admins
) -> None:
    partner = active_partner(client, admins)
    old = partner["client_secret"]
    clock.freeze(clock.now())
    rotated = client.post(f"/v1/partners/{partner['id']}/secret", headers=headers(admins.creator))
    assert rotated.status_code == 200
    new = rotated.json()["client_secret"]
    assert new != old
    grace = timedelta(hours=settings.partner_secret_grace_hours)
    assert rotated.json()["previous_secret_valid_until"] == (clock.now() + grace).isoformat().replace(
        "+00:00", "Z"
    )
    assert authenticates(db, settings, partner["client_id"], old) == partner["id"]
    assert authenticates(db, settings, partner["client_id"], new) == partner["id"]
    clock.advance(grace - timedelta(seconds=1))
    assert authenticates(db, settings, partner["client_id"], old) == partner["id"]
    clock.advance(timedelta(seconds=1))
    assert authenticates(db, settings, partner["client_id"], old) is None
    assert authenticates(db, settings, partner["client_id"], new) == partner["id"]
    with (
        db.unit_of_work() as session
    ):  # (a staff token minted on the moved clock would be "issued in the future")
        shown = service.get_partner(session, partner["id"])
    assert shown.previous_secret_valid_until is None


def test_a_second_rotation_ends_the_oldest_secret(
    client: TestClient, db: Database, settings: Settings, admins: Admins
) -> None:
    partner = active_partner(client, admins)
    first = partner["client_secret"]
    second = client.post(f"/v1/partners/{partner['id']}/secret", headers=headers(admins.creator)).json()
    third = client.post(f"/v1/partners/{partner['id']}/secret", headers=headers(admins.creator)).json()
    assert authenticates(db, settings, partner["client_id"], first) is None
    assert authenticates(db, settings, partner["client_id"], second["client_secret"]) == partner["id"]
    assert authenticates(db, settings, partner["client_id"], third["client_secret"]) == partner["id"]


def test_a_suspension_stops_an_issued_token_at_once_and_reactivation_restores_it(
    client: TestClient, db: Database, settings: Settings, admins: Admins
) -> None:
    partner = active_partner(client, admins)
    token = partner_token(db, made(db, partner), scopes=["partner:self"])
    assert client.get("/v1/partner/calls", headers=headers(token)).status_code == 200
    suspended = client.post(f"/v1/partners/{partner['id']}/suspend", headers=headers(admins.creator))
    assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
    assert client.get("/v1/partner/calls", headers=headers(token)).status_code == 401
    assert authenticates(db, settings, partner["client_id"], partner["client_secret"]) is None
    again = client.post(f"/v1/partners/{partner['id']}/suspend", headers=headers(admins.creator))
    assert again.status_code == 409
    back = client.post(f"/v1/partners/{partner['id']}/reactivate", headers=headers(admins.creator))
    assert back.status_code == 200 and back.json()["status"] == "active"
    assert client.get("/v1/partner/calls", headers=headers(token)).status_code == 200


def test_a_partner_reads_its_own_registration(
    client: TestClient, db: Database, settings: Settings, admins: Admins
) -> None:
    partner = active_partner(client, admins)
    token = partner_token(db, made(db, partner), scopes=["partner:self"])
    own = client.get("/v1/partner", headers=headers(token))
    assert own.status_code == 200 and own.json()["id"] == partner["id"]
    consent_scoped = partner_token(db, made(db, partner), scopes=["accounts:read"])
    refused = client.get("/v1/partner", headers=headers(consent_scoped))
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    # A partner's token is no bank admin's: the registry's routes refuse it.
    assert client.get("/v1/partners", headers=headers(token)).status_code == 401
