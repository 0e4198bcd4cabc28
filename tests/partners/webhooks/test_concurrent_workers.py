"""Workers on several nodes share the deliveries (PostgreSQL: ``FOR UPDATE SKIP LOCKED`` and a
conditional claim) and never send one attempt twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.partners.webhooks.helpers import deliveries, deposit, subscriber, worker
from tests.partners.webhooks.receiver import receiver

EVENTS = 40


@pytest.mark.postgres_only
def test_three_workers_send_each_delivery_exactly_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        for _ in range(EVENTS):
            deposit(db)
        workers = [worker(db, settings) for _ in range(3)]
        for each in workers:
            each.batch_size = 5  # small batches, so the workers' claims interleave
        sent: list[int] = [0, 0, 0]
        start = threading.Barrier(3)

        def run(index: int) -> None:
            start.wait()
            sent[index] = workers[index].drain()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    counts = Counter(hook.ids())
    assert len(counts) == EVENTS and set(counts.values()) == {1}
    assert sum(sent) == EVENTS
    assert {d.status for d in deliveries(db, sub.endpoint_id)} == {"delivered"}
    assert {d.attempts for d in deliveries(db, sub.endpoint_id)} == {1}
