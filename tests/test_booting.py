"""Listen first, load after (finlife.booting): /healthz answers while the app loads, /readyz says
not yet, other requests wait for the app; an app that cannot start stops the server."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife import booting, schema, serving
from finlife.kit.db import Database
from tests.nodes import FINLIFE, free_port


def _real_app() -> FastAPI:
    real = FastAPI()

    @real.get("/hello")
    def hello() -> dict[str, str]:
        return {"from": "the real app"}

    @real.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return real


def test_healthz_answers_while_the_app_loads_and_requests_wait_for_it() -> None:
    release = threading.Event()
    real = _real_app()

    def load() -> FastAPI:
        assert release.wait(60)
        return real

    boot = booting.BootingApp(load=load, after_start=lambda app: None)
    with TestClient(boot) as client:
        starting = client.get("/healthz")
        assert (starting.status_code, starting.json()["status"]) == (200, "starting")
        not_ready = client.get("/readyz", headers={"Accept-Language": "en"})
        assert not_ready.status_code == 503
        assert not_ready.headers["content-type"] == "application/problem+json"
        assert not_ready.json()["code"] == "not_ready_starting"
        assert not_ready.json()["title"] == "This node is starting and cannot take requests yet"

        answers: list[httpx.Response] = []
        waiting = threading.Thread(target=lambda: answers.append(client.get("/hello")))
        waiting.start()
        waiting.join(0.5)
        assert answers == []  # it waits for the app (not a verdict on timing: it cannot answer yet)
        release.set()
        waiting.join(60)
        assert [a.json() for a in answers] == [{"from": "the real app"}]
        assert client.get("/healthz").json() == {"status": "ok"}  # the real app's own, from now on
        assert boot.failed is None


def test_an_app_that_cannot_start_answers_503_and_stops_the_server() -> None:
    stopped = threading.Event()

    def load() -> FastAPI:
        raise schema.SchemaOutdated("database schema is at nothing, the code needs 0003")

    boot = booting.BootingApp(load=load, after_start=lambda app: None)
    boot.on_failure = stopped.set
    with TestClient(boot) as client:
        assert stopped.wait(60)
        refused = client.get("/hello")
        assert refused.status_code == 503
        assert refused.json()["code"] == "not_ready_start_failed"
    assert isinstance(boot.failed, schema.SchemaOutdated)


def test_finlife_serve_on_an_old_schema_exits_with_the_start_up_failure_code(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    schema.upgrade(url)
    database = Database(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'an_older_revision'"))
    database.dispose()
    env = {**os.environ, "FINLIFE_DATABASE_URL": url}
    command = [FINLIFE, "serve", "--port", str(free_port())]
    served = subprocess.run(  # noqa: S603 (our own command)
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert served.returncode == serving.STARTUP_FAILURE, served.stdout + served.stderr
    assert "the code needs" in served.stderr
