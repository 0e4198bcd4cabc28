"""The demo seeding page (/bank/demo): absent unless FINLIFE_DEMO_TOOLS is on; then a bank admin
seeds a small demo world with a progress bar, as ``finlife demo`` does (an empty bank only)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finlife import schema
from finlife.app import create_app
from finlife.demo import partners as demo_partners
from finlife.demo import world
from finlife.demo.common import DEMO_CUSTOMER_PHONE
from finlife.demo.partners import DEMO_PARTNER_SECRET
from finlife.kit import jobs
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import make_user
from tests.web.forms import signed_in, submit

DEMO = "/bank/demo"


@pytest.fixture
def with_demo_tools(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    """finlife as ``make run`` serves it: FINLIFE_DEMO_TOOLS=true.

    On SQLite in a database file of its own: the seeding runs in a second process, which relies on
    this process's POSIX locks on the file, and another test of this worker reads the shared file's
    bytes (tests/accounts/test_cards.py), and closing any descriptor of a file drops them all.
    """
    url = settings.database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        schema.upgrade(url)
    app = create_app(
        settings.model_copy(update={"demo_tools": True, "database_url": url}), check_schema=False
    )
    with TestClient(app) as client:
        yield client


def test_a_production_bank_has_no_demo_page(client: TestClient, db: Database, settings: Settings) -> None:
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    assert admin.get(DEMO).status_code == 404
    assert f'href="{DEMO}"' not in admin.get("/bank").text


def test_a_bank_admin_seeds_a_small_demo_world_with_progress(
    with_demo_tools: TestClient, settings: Settings
) -> None:
    db: Database = with_demo_tools.app.state.db  # type: ignore[attr-defined]
    teller = signed_in(with_demo_tools, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    assert f'href="{DEMO}"' not in teller.get("/bank").text
    assert teller.get(DEMO).status_code == 403
    admin = signed_in(with_demo_tools, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    assert f'href="{DEMO}"' in admin.get("/bank").text

    too_many = submit(admin, DEMO, DEMO, {"customers": "2", "merchants": "0", "days": "9999"})
    assert too_many.status_code == 422 and 'id="f-days-error"' in too_many.text
    assert "请填写 1 到 90 之间的整数" in too_many.text

    started = submit(admin, DEMO, DEMO, {"customers": "2", "merchants": "0", "days": "1"})
    assert started.status_code == 303, started.text
    progress_page = started.headers["location"]
    assert re.fullmatch(r"/bank/jobs/job_\w+", progress_page)
    job_id = progress_page.rsplit("/", 1)[1]
    jobs.wait(job_id)

    job = admin.get(f"/v1/jobs/{job_id}").json()
    assert (job["status"], job["done"], job["total"]) == ("succeeded", 3, 3), job
    assert job["stage"]["key"] == "ui.demo.stage.days"
    done = admin.get(progress_page)
    assert (done.status_code, done.headers["location"]) == (303, f"{DEMO}?job={job_id}")
    made = admin.get(done.headers["location"])
    assert made.status_code == 200
    summary = made.text[made.text.index("data-made") :]
    assert "客户 2，商户 0（门店 0）" in summary and DEMO_CUSTOMER_PHONE in summary
    partner = summary[summary.index("data-partner-sign-in") :]
    client_id = demo_partners.demo_partner_client_id(db)
    assert client_id is not None and client_id in partner and DEMO_PARTNER_SECRET in partner
    assert not world.is_empty(db)

    again = submit(admin, DEMO, DEMO, {"customers": "2", "merchants": "0", "days": "1"}, page=too_many.text)
    assert again.status_code == 409 and "data-not-empty" in again.text
    assert 'action="/bank/demo"' not in admin.get(DEMO).text  # no button on a bank with customers
