"""Test wiring: one database per xdist worker built by the migrations, cleaned after every test.

FINLIFE_TEST_DATABASE picks the backend: ``sqlite`` (default) or a PostgreSQL URL. Tests marked
``postgres_only`` (real concurrency) are deselected on SQLite, loudly, and run in the PostgreSQL pass.

Why cleaning instead of a rolled-back outer transaction: the code under test owns its unit of work
(it commits), the idempotency and concurrency tests need real commits seen by other connections.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from finlife import schema
from finlife.app import create_app
from finlife.kit.clock import clock
from finlife.kit.db import Database, normalise_url
from finlife.models import metadata
from finlife.settings import Settings
from tests.contract import install_answer_check
from tests.factories import METRICS_TOKEN

BACKEND_URL = os.environ.get("FINLIFE_TEST_DATABASE", "sqlite")
ON_POSTGRES = BACKEND_URL.startswith("postgres")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES:
        return
    selected, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres_only") else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
        config._finlife_pg_only = len(deselected)  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    count = getattr(config, "_finlife_pg_only", 0)
    if count:
        terminalreporter.write_line(
            f"NOTE: {count} PostgreSQL-only tests (concurrency) were not run on SQLite; "
            "the PostgreSQL pass runs them.",
            yellow=True,
            bold=True,
        )


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not ON_POSTGRES:
        path: Path = tmp_path_factory.mktemp("db") / f"finlife-{_worker()}.db"
        url = f"sqlite:///{path}"
        schema.upgrade(url)
        yield url
        return
    base = make_url(normalise_url(BACKEND_URL))
    name = f"finlife_test_{_worker()}_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.set(database=name).render_as_string(hide_password=False)
    schema.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-of-at-least-thirty-two-bytes!!",
        fast_password_hashing=True,
        admin_password="admin-password-1",
        metrics_token=METRICS_TOKEN,
        # Tests that read the outbox need it as the request left it; tests/events run relays themselves.
        relay_in_server=False,
        # Tests that take jobs over call kit.jobs.claim_stale themselves (or run real nodes).
        job_claimer_in_server=False,
        webhooks_worker_in_server=False,
        webhooks_allow_private=True,  # receivers in tests listen on 127.0.0.1 over http
    )


@pytest.fixture(scope="session")
def app(settings: Settings):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    application.state.undocumented_answers = install_answer_check(application)
    return application


@pytest.fixture(autouse=True)
def _answers_match_the_contract(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails a test in which a route answered a status its OpenAPI operation does not document."""
    if "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    if not isinstance(application, FastAPI):  # a test's own parameter named "app" (e2e: which app)
        yield
        return
    found: list[str] = application.state.undocumented_answers
    found.clear()
    yield
    undocumented, found[:] = list(found), []
    assert undocumented == [], "answers outside the OpenAPI contract"


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def db(app) -> Database:  # type: ignore[no-untyped-def]
    database: Database = app.state.db
    return database


@pytest.fixture(autouse=True)
def _clean(request: pytest.FixtureRequest) -> Iterator[None]:
    database: Database | None = (
        request.getfixturevalue("db") if "database_url" in request.fixturenames else None
    )
    yield
    clock.reset()
    if database is None:
        return
    empty_every_table(database)


def empty_every_table(database: Database) -> None:
    """Delete every row (a test module that seeds once for all its tests calls it at its end)."""
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if database.is_sqlite:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
        else:
            conn.execute(
                text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
            )
