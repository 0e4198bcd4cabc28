"""The bank console's progress page (/bank/jobs/{id}): the bar while the job runs (polled by
progress.js, refreshed without script), then the result page, or why the job did not finish."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from finlife.kit import jobs
from finlife.kit.auth import Actor, Role
from finlife.kit.db import Database
from finlife.kit.errors import Conflict
from finlife.settings import Settings
from tests.factories import make_user
from tests.web.forms import signed_in


@pytest.fixture
def admin(client: TestClient, db: Database, settings: Settings) -> TestClient:
    return signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))


@pytest.fixture
def release() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()


def test_a_running_job_shows_a_labelled_progress_bar_that_refreshes(
    admin: TestClient, db: Database, release: threading.Event
) -> None:
    reported = threading.Event()

    def work(progress: jobs.Progress) -> dict[str, str]:
        progress(12, 40, "ui.jobs.settle.merchants")
        reported.set()
        release.wait(60)
        return {"url": "/bank/interbank"}

    job_id = jobs.start(db, Actor.system(), "settlement", work)
    try:
        assert reported.wait(60)
        page = admin.get(f"/bank/jobs/{job_id}")
        assert page.status_code == 200, page.text
        text = page.text
        assert "<title>日终结算" in text
        bar = re.search(r'<progress class="job-progress__bar" id="([^"]+)"[^>]*>', text)
        assert bar is not None and 'max="40" value="12"' in bar.group(0)
        assert f'<label class="job-progress__label" for="{bar.group(1)}">进度</label>' in text
        assert 'aria-live="polite" data-job-text>12 / 40 — 正在逐户结算商户…</p>' in text
        assert f'data-job-poll="/v1/jobs/{job_id}"' in text and "/static/progress.js" in text
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in text
        assert f'href="/bank/jobs/{job_id}" data-job-refresh' in text
        admin.cookies.set("lang", "en")
        assert "12 / 40 — Settling merchants one by one…" in admin.get(f"/bank/jobs/{job_id}").text
    finally:
        release.set()
        jobs.wait(job_id)
    done = admin.get(f"/bank/jobs/{job_id}")
    assert (done.status_code, done.headers["location"]) == (303, "/bank/interbank")


def test_a_finished_job_leads_to_its_result_with_its_toast(admin: TestClient, db: Database) -> None:
    job_id = jobs.start(
        db,
        Actor.system(),
        "reconciliation",
        lambda _: {"url": "/bank/interbank/reconciliations/rec_1", "flash": "ui.interbank.reconciled"},
    )
    jobs.wait(job_id)
    answer = admin.get(f"/bank/jobs/{job_id}")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/bank/interbank/reconciliations/rec_1"
    assert "finlife_flash=ui.interbank.reconciled" in answer.headers["set-cookie"]


def test_a_failed_job_says_why_and_leads_back(admin: TestClient, db: Database) -> None:
    def work(progress: jobs.Progress) -> None:
        raise Conflict("reconciliation_exists", params={"bank": "ZXB", "date": "2026-03-02"})

    job_id = jobs.start(db, Actor.system(), "reconciliation", work)
    jobs.wait(job_id)
    page = admin.get(f"/bank/jobs/{job_id}")
    assert page.status_code == 200
    assert 'data-job-status="failed"' in page.text and "data-job-poll" not in page.text
    assert 'role="alert" data-job-error="reconciliation_exists"' in page.text and "ZXB" in page.text
    assert 'href="/bank/interbank/reconciliations">返回</a>' in page.text
    assert "http-equiv" not in page.text


def test_someone_elses_job_is_not_shown(client: TestClient, db: Database, settings: Settings) -> None:
    starter = Actor.system()
    job_id = jobs.start(db, starter, "settlement", lambda _: None)
    jobs.wait(job_id)
    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    assert teller.get(f"/bank/jobs/{job_id}").status_code == 404
    assert teller.get("/bank/jobs/job_unknown").status_code == 404
