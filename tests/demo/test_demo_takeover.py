"""Demo seeding taken over from a node that died (kit.jobs.takeover), for a job recorded without a
seed: run again from its row, it seeds the world if the dead node got no further than the demo desk's
login, and refuses (never seeds a second world over part of one) once customers exist. A job that
records its seed resumes instead: tests/demo/test_demo_resume.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finlife import schema
from finlife.app import create_app
from finlife.demo import world
from finlife.demo.common import DEMO_PASSWORD, DEMO_TELLER
from finlife.identity import service as identity
from finlife.kit import jobs
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.jobs import Job, kinds
from finlife.settings import Settings
from tests.factories import signup_customer

ADMIN = Actor.system()


@pytest.fixture
def demo_app(settings: Settings, tmp_path: Path) -> Iterator[tuple[TestClient, Settings]]:
    """As tests/demo/test_demo_page.py's: the seeding's child process needs a database file of its own."""
    url = settings.database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'demo.db'}"
        schema.upgrade(url)
    served = settings.model_copy(update={"demo_tools": True, "database_url": url})
    with TestClient(create_app(served, check_schema=False)) as client:
        yield client, served


def _dead_nodes_job(db: Database, settings: Settings) -> str:
    long_ago = clock.now() - timedelta(seconds=settings.job_stale_seconds + 1)
    with db.unit_of_work() as session:
        session.add(
            Job(
                public_id="job_demo_dead",
                kind="demo",
                status="running",
                done=0,
                total=3,
                stage="ui.demo.stage.customers",
                stage_params={},
                created_by=ADMIN.user_id,
                created_at=long_ago,
                updated_at=long_ago,
                parameters={
                    "actor": kinds.actor_record(ADMIN),
                    "parameters": {"customers": 2, "merchants": 0, "days": 1},
                },
                attempts=1,
                runner="dead-node:1:lh_x",
            )
        )
    return "job_demo_dead"


def _read(db: Database, job_id: str) -> jobs.JobOut:
    with db.unit_of_work() as session:
        return jobs.get_job(session, ADMIN, job_id, "en")


def test_a_seeding_whose_node_died_after_the_desk_login_is_seeded_by_another(
    demo_app: tuple[TestClient, Settings],
) -> None:
    client, settings = demo_app
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    with db.unit_of_work() as session:  # what the dead node's seeding made before it died
        identity.create_user(
            session, settings, username=DEMO_TELLER, password=DEMO_PASSWORD, roles=[Role.TELLER]
        )
    job_id = _dead_nodes_job(db, settings)
    assert jobs.claim_stale(db, settings) == [job_id]
    jobs.wait(job_id)
    ended = _read(db, job_id)
    assert (ended.status, ended.attempts) == ("succeeded", 2), ended
    assert ended.result is not None and ended.result["made"]["customers"] == 2
    assert not world.is_empty(db)


def test_a_seeding_whose_node_died_among_the_customers_is_not_seeded_twice(
    demo_app: tuple[TestClient, Settings],
) -> None:
    client, settings = demo_app
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    signup_customer(client)  # part of a world
    job_id = _dead_nodes_job(db, settings)
    assert jobs.claim_stale(db, settings) == [job_id]
    jobs.wait(job_id)
    ended = _read(db, job_id)
    assert ended.status == "failed" and ended.error is not None
    assert (ended.error.code, ended.attempts) == ("ui.demo.not_empty", 2)
