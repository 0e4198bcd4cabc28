"""Where the worker runs: beside the relay in ``finlife serve`` (the app's lifespan), from a committed
event to the partner's receiver with no request waiting; and as ``finlife webhooks deliver --once``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook
from typer.testing import CliRunner

from finlife.app import create_app
from finlife.cli import app as cli
from finlife.kit import outbox
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.webhooks.worker import DeliveryWorker
from finlife.settings import Settings, get_settings
from tests.partners.webhooks.helpers import BASE, deliveries, subscriber
from tests.partners.webhooks.receiver import receiver


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("FINLIFE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("FINLIFE_SECRET_KEY", settings.secret_key)  # the secrets are sealed under it
    monkeypatch.setenv("FINLIFE_WEBHOOKS_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("environment")
def test_deliver_once_sends_what_is_due(client: TestClient, db: Database, settings: Settings) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        assert client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=sub.headers).status_code == 202
        result = CliRunner().invoke(cli, ["webhooks", "deliver", "--once"])
        assert result.exit_code == 0, result.output
        assert "made 1 delivery attempts" in result.output
    [ping] = hook.received
    assert Webhook(sub.secret).verify(ping.body, ping.headers)["type"] == "webhook.ping"
    assert [d.status for d in deliveries(db, sub.endpoint_id)] == ["delivered"]


def test_in_the_server_a_committed_event_reaches_the_receiver_by_itself(
    client: TestClient, db: Database, settings: Settings
) -> None:
    running = {"relay_in_server": True, "relay_idle_max_seconds": 0.1, "webhooks_worker_in_server": True}
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        with TestClient(create_app(settings.model_copy(update=running))):
            with db.unit_of_work() as session:  # what a request's transaction leaves behind
                payload = {
                    "account_id": "acc_alice",
                    "customer_id": "cus_alice",
                    "amount": 1,
                    "currency": "CNY",
                }
                outbox.publish(session, "account.cash_deposit", payload)
            deadline = time.monotonic() + 15
            while not hook.received and time.monotonic() < deadline:
                time.sleep(0.02)
        [received] = hook.received
        assert Webhook(sub.secret).verify(received.body, received.headers)["data"] == payload
    assert "finlife-webhooks" not in {t.name for t in threading.enumerate()}  # stopped with the app


def test_the_running_worker_sends_each_delivery_once_while_claiming_the_next_round(
    client: TestClient, db: Database, settings: Settings
) -> None:
    worker = DeliveryWorker(db, settings.model_copy(update={"webhooks_allow_private": True}), batch_size=3)
    stop = threading.Event()
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        for _ in range(10):  # four rounds of at most three: each next one is claimed while one is out
            assert client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=sub.headers).status_code == 202
        running = threading.Thread(target=worker.run, args=(stop,))
        running.start()
        deadline = time.monotonic() + 15
        while len(hook.received) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        stop.set()
        running.join(10)
        worker.close()
    assert len({ping.headers["webhook-id"] for ping in hook.received}) == len(hook.received) == 10
    rows = deliveries(db, sub.endpoint_id)
    assert [(d.status, d.attempts) for d in rows] == [("delivered", 1)] * 10


def test_a_worker_stopped_with_a_round_claimed_gives_it_back_due_at_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    worker = DeliveryWorker(db, settings.model_copy(update={"webhooks_allow_private": True}))
    stop = threading.Event()
    stop.set()  # so the round it claims on starting is the round it holds when it stops
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        assert client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=sub.headers).status_code == 202
        worker.run(stop)
        assert not hook.received
        [held] = deliveries(db, sub.endpoint_id)
        assert (held.status, held.attempts) == ("pending", 0)
        assert held.next_attempt_at is not None and held.next_attempt_at <= clock.now()
        assert worker.drain() == 1  # due at once, not after the minute's lease
        worker.close()
    assert len(hook.received) == 1
