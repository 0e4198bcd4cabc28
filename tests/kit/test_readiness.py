"""/readyz, for a load balancer: 200 when the database answers and its schema is the code's head,
503 problem+json otherwise (the node stays up; /healthz still answers)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife import schema
from finlife.app import create_app
from finlife.kit.db import Database
from finlife.settings import Settings


def test_a_node_on_a_database_at_head_is_ready(client: TestClient, settings: Settings) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "version": "0.1.0",
        "schema": schema.head_revision(settings.database_url),
    }


def test_a_database_at_another_revision_is_not_ready(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    schema.upgrade(url)
    # The app started; then the database moved (another node's code migrated it, or it was restored).
    app = create_app(Settings(database_url=url))
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200
        database = Database(url)
        with database.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0002_store_search'"))
        database.dispose()
        answer = client.get("/readyz", headers={"Accept-Language": "en"})
        assert client.get("/healthz").status_code == 200  # alive, only not ready
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    head = schema.head_revision(url)
    assert answer.json()["code"] == "not_ready_schema"
    assert (
        answer.json()["detail"]
        == f"The database schema is at 0002_store_search; this node's code needs {head}"
    )


def test_an_unreachable_database_is_not_ready() -> None:
    # A PostgreSQL server that is not there (nothing listens on port 1): every connection is refused.
    app = create_app(Settings(database_url="postgresql://finlife@127.0.0.1:1/finlife"), check_schema=False)
    with TestClient(app) as client:
        answer = client.get("/readyz", headers={"Accept-Language": "en"})
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "not_ready_database"
    assert answer.json()["title"] == "This node cannot reach its database"
