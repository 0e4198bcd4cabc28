"""A nonce is spent once across nodes: the ``signature_nonces`` table, not a process's memory,
decides, and two writers of the same nonce at once leave one winner."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.httpsig.nonces import first_use
from finlife.settings import Settings
from tests.kit import signed_app

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
WINDOW = timedelta(seconds=330)
BODY = json.dumps({"amount": 7}).encode()


def test_a_call_replayed_to_another_node_is_refused(settings: Settings, db: Database) -> None:
    clock.freeze(NOW)
    first, second = signed_app.build(settings, db), signed_app.build(settings, db)
    key = first.register("cli_alpha")
    second.keys["cli_alpha"] = key.public_key()
    headers = first.headers("POST", "/payments", BODY, "cli_alpha") | {"Content-Type": "application/json"}
    assert TestClient(first.app).post("/payments", content=BODY, headers=headers).status_code == 200
    replayed = TestClient(second.app).post("/payments", content=BODY, headers=headers)
    assert (replayed.status_code, replayed.json()["code"]) == (401, "signature_replayed")
    assert first.undocumented == second.undocumented == []


def _wait_until_someone_waits_for_a_lock(db: Database) -> None:
    for _ in range(400):
        with db.engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            ).scalar_one()
        if waiting:
            return
        time.sleep(0.025)
    raise AssertionError("the second use of the nonce never waited for the first")


@pytest.mark.postgres_only
def test_two_nodes_spending_one_nonce_at_once_leave_one_winner(db: Database) -> None:
    def second_node() -> bool:
        with db.unit_of_work() as session:
            return first_use(session, "cli_alpha", "raced", now=NOW, window=WINDOW)

    first = db.sessions()
    try:
        assert first_use(first, "cli_alpha", "raced", now=NOW, window=WINDOW)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # Its insert waits on the primary key until the first commits, then finds the nonce taken.
            second = pool.submit(second_node)
            _wait_until_someone_waits_for_a_lock(db)
            first.commit()
            assert second.result(timeout=10) is False
    finally:
        first.close()


@pytest.mark.postgres_only
def test_a_nonce_whose_first_use_rolled_back_is_still_free(db: Database) -> None:
    def second_node() -> bool:
        with db.unit_of_work() as session:
            return first_use(session, "cli_alpha", "undone", now=NOW, window=WINDOW)

    first = db.sessions()
    try:
        assert first_use(first, "cli_alpha", "undone", now=NOW, window=WINDOW)
        with ThreadPoolExecutor(max_workers=1) as pool:
            second = pool.submit(second_node)
            _wait_until_someone_waits_for_a_lock(db)
            first.rollback()
            assert second.result(timeout=10) is True
    finally:
        first.close()
