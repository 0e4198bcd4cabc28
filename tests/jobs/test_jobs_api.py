"""GET /v1/jobs/{id}: the job's starter or a bank admin reads it, in the Accept-Language; anybody
else gets the same 404 as for an unknown job."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from finlife.kit import jobs
from finlife.kit.auth import Actor, Channel, Role, read_token
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import headers, make_user, staff_token
from tests.web.forms import signed_in


def _actor(token: str, settings: Settings) -> Actor:
    return read_token(token, secret=settings.secret_key, channel=Channel.BRANCH)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def _running_job(db: Database, starter: Actor, release: threading.Event) -> str:
    def work(progress: jobs.Progress) -> dict[str, str]:
        progress(12, 40, "ui.jobs.settle.merchants")
        release.wait(60)
        return {"url": "/bank/interbank"}

    return jobs.start(db, starter, "settlement", work)


def test_the_starter_and_an_admin_read_a_job_and_nobody_else(
    client: TestClient, db: Database, settings: Settings, release: threading.Event
) -> None:
    starter = staff_token(client, db, settings, Role.TELLER)
    job_id = _running_job(db, _actor(starter, settings), release)
    try:
        mine = client.get(f"/v1/jobs/{job_id}", headers=headers(starter, **{"Accept-Language": "en"}))
        assert mine.status_code == 200, mine.text
        assert mine.headers["cache-control"] == "no-store"
        body = mine.json()
        assert {k: body[k] for k in ("id", "kind", "status", "result", "error")} == {
            "id": job_id,
            "kind": "settlement",
            "status": "running",
            "result": None,
            "error": None,
        }
        assert body["stage"] in (  # the first report may still be on its way
            {"key": "ui.jobs.starting", "params": {}, "text": "Starting…"},
            {"key": "ui.jobs.settle.merchants", "params": {}, "text": "Settling merchants one by one…"},
        )
        chinese = client.get(f"/v1/jobs/{job_id}", headers=headers(starter)).json()["stage"]["text"]
        assert chinese in ("正在开始…", "正在逐户结算商户…")

        admin = staff_token(client, db, settings, Role.BANK_ADMIN)
        assert client.get(f"/v1/jobs/{job_id}", headers=headers(admin)).status_code == 200

        other_teller = staff_token(client, db, settings, Role.TELLER)
        hidden = client.get(f"/v1/jobs/{job_id}", headers=headers(other_teller))
        unknown = client.get("/v1/jobs/job_00000000000000000000", headers=headers(starter))
        for answer in (hidden, unknown):
            assert answer.status_code == 404
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] == "not_found"
        assert client.get(f"/v1/jobs/{job_id}").status_code == 401
    finally:
        release.set()
        jobs.wait(job_id)
    ended = client.get(f"/v1/jobs/{job_id}", headers=headers(starter)).json()
    assert (ended["status"], ended["done"], ended["total"]) == ("succeeded", 12, 40)
    assert ended["result"] == {"url": "/bank/interbank"}


def test_a_progress_page_polls_with_its_session_cookie(
    client: TestClient, db: Database, settings: Settings, release: threading.Event
) -> None:
    username = make_user(db, settings, roles=(Role.BANK_ADMIN,))
    browser = signed_in(client, "bank", username)
    job_id = _running_job(db, Actor.system(), release)  # a bank admin reads any job
    try:
        answer = browser.get(f"/v1/jobs/{job_id}")
        assert answer.status_code == 200 and answer.json()["status"] == "running"
    finally:
        release.set()
        jobs.wait(job_id)
