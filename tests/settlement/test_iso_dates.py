"""A business day is YYYY-MM-DD, as documented: a number is not read as a Unix time (found by the
conformance run: ``date=0`` answered 200 for 1970-01-01)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, staff_token


@pytest.mark.parametrize("path", ["/v1/settlements", "/v1/settlement/interbank"])
@pytest.mark.parametrize("day", ["0", "20260301", "2026-3-1"])
def test_a_day_that_is_not_iso_is_refused(
    client: TestClient, db: Database, settings: Settings, path: str, day: str
) -> None:
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    response = client.get(path, params={"date": day}, headers=headers(admin))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "date"


def test_an_iso_day_is_read(client: TestClient, db: Database, settings: Settings) -> None:
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    response = client.get("/v1/settlements", params={"date": "2026-03-01"}, headers=headers(admin))
    assert response.status_code == 200, response.text
    assert response.json() == {"data": [], "has_more": False}


def test_a_settlement_run_for_a_number_is_refused(
    client: TestClient, db: Database, settings: Settings
) -> None:
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    response = client.post(
        "/v1/settlements", json={"date": 0}, headers=headers(admin, **{"Idempotency-Key": "iso-day-1"})
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "date"
