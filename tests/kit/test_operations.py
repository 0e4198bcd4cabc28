"""Health, metrics, OpenAPI, channels and the schema check."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife import schema
from finlife.app import create_app
from finlife.kit.db import Database
from finlife.settings import Settings


def test_healthz_answers_ok(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_metrics_count_requests_by_route_status_and_channel(client) -> None:  # type: ignore[no-untyped-def]
    client.get("/healthz", headers={"X-Channel": "mobile"})
    client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "x", "password": "y"},
        headers={"X-Channel": "mobile"},
    )
    body = client.get("/metrics").text
    assert 'finlife_http_requests_total{channel="mobile",method="GET",route="/healthz",status="200"}' in body
    assert 'route="/v1/auth/token",status="401"' in body
    assert "finlife_http_request_duration_seconds_bucket" in body


def test_unknown_channel_is_refused_with_a_problem(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/healthz", headers={"X-Channel": "carrier-pigeon", "Accept-Language": "en"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_channel"
    assert "carrier-pigeon" in response.json()["detail"]


def test_openapi_document_lists_every_api_route(client, app) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/openapi.json").json()
    paths = document["paths"]
    for expected in (
        "/v1/auth/token",
        "/v1/signup",
        "/v1/me",
        "/v1/ledger/trial-balance",
        "/v1/audit-events",
    ):
        assert expected in paths
    assert client.get("/docs").status_code == 200


def test_unknown_route_is_a_problem(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_server_refuses_an_old_schema(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'old.db'}"
    schema.upgrade(url)
    database = Database(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'an_older_revision'"))
    database.dispose()
    app = create_app(Settings(database_url=url))
    with pytest.raises(schema.SchemaOutdated), TestClient(app):
        pass


def test_server_refuses_an_empty_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(schema.SchemaOutdated), TestClient(app):
        pass
