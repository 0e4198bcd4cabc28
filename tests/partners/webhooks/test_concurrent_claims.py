"""Two workers claiming rounds at the same moment on PostgreSQL (one ``UPDATE … WHERE id IN (SELECT …
FOR UPDATE SKIP LOCKED)`` each) never take the same delivery, and between them take every one."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from finlife.kit import outbox
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.partners.webhooks.helpers import deliveries, subscriber, worker
from tests.partners.webhooks.receiver import receiver

EVENTS = 120


@pytest.mark.postgres_only
def test_two_workers_claiming_at_once_never_take_the_same_delivery(
    client: TestClient, db: Database, settings: Settings
) -> None:
    from finlife.events.consumers import Registry
    from finlife.events.relay import EmbeddedSink, Relay
    from finlife.partners.webhooks.fanout import ensure_subscribed

    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
    payload = {"account_id": "acc_alice", "customer_id": "cus_alice", "amount": 1, "currency": "CNY"}
    for _ in range(EVENTS):
        with db.unit_of_work() as session:
            outbox.publish(session, "account.cash_deposit", payload, channel="mobile")
    subscribers = Registry()
    ensure_subscribed(subscribers)
    Relay(db, EmbeddedSink(db, subscribers)).drain()
    workers = [worker(db, settings), worker(db, settings)]
    for each in workers:
        each.batch_size = each.per_endpoint = 7  # small rounds, so the two interleave many times
    claimed: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def claim(index: int) -> None:
        start.wait()
        deadline = time.monotonic() + 60
        # As a worker's loop does: an empty round (the other holds the rows it would take) is not
        # the end; the rounds go on until every delivery is claimed.
        while len(claimed[0]) + len(claimed[1]) < EVENTS and time.monotonic() < deadline:
            with db.unit_of_work() as session:
                lanes = workers[index].claim_round(session)
            claimed[index].extend(c.delivery_pk for lane in lanes for c in lane.claims)
            if not lanes:
                time.sleep(0.001)

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for each in workers:
        each.close()
    first, second = set(claimed[0]), set(claimed[1])
    assert len(claimed[0]) == len(first) and len(claimed[1]) == len(second)
    assert not first & second
    assert first | second == {d.id for d in deliveries(db, sub.endpoint_id)}
    assert {d.attempts for d in deliveries(db, sub.endpoint_id)} == {1}
