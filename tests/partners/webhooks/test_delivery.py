"""Deliveries to a real receiver on 127.0.0.1: signed as Standard Webhooks says (verified by its
library), retried on its schedule, stopped by a 410, paced by Retry-After, disabled after days of
failures, replayed and pinged with the same path, and signed with both secrets during a rotation."""

from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.webhooks import addresses
from finlife.settings import Settings
from tests.partners.webhooks.helpers import (
    BASE,
    bearer,
    deliveries,
    deposit,
    endpoint,
    self_token,
    subscriber,
    worker,
)
from tests.partners.webhooks.receiver import receiver


def test_a_failed_delivery_is_retried_on_the_schedule_with_the_same_id_and_a_valid_signature(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        hook.answer(500, 503)
        sender = worker(db, settings)
        assert sender.run_once() == 1  # the first attempt at once: 500
        assert sender.run_once() == 0  # the next is 5 s away
        clock.advance(timedelta(seconds=5))
        assert sender.run_once() == 1  # 503
        clock.advance(timedelta(seconds=299))
        assert sender.run_once() == 0  # the third waits 5 min
        clock.advance(timedelta(seconds=1))
        assert sender.run_once() == 1  # 200
        assert sender.run_once() == 0
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 3, 200)
    assert len(hook.received) == 3 and set(hook.ids()) == {row.public_id}
    last = hook.received[-1]
    body = Webhook(sub.secret).verify(last.body, last.headers)
    assert body["type"] == "account.cash_deposit" and body["data"]["account_id"] == "acc_alice"
    assert body["id"] == row.event_id and last.body == hook.received[0].body
    with pytest.raises(WebhookVerificationError):
        Webhook(sub.secret).verify(last.body.replace(b"10000", b"99999"), last.headers)
    assert endpoint(db, sub.endpoint_id).failing_since is None


def test_attempts_end_when_the_schedule_does(client: TestClient, db: Database, settings: Settings) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        hook.answer(500, 500, 500)
        sender = worker(db, settings, webhooks_retry_schedule=(0, 5, 10))
        assert sender.run_once() == 1
        clock.advance(timedelta(seconds=5))
        assert sender.run_once() == 1
        clock.advance(timedelta(seconds=10))
        assert sender.run_once() == 1
        clock.advance(timedelta(days=1))
        assert sender.run_once() == 0
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 3, None)


def test_a_410_disables_the_endpoint(client: TestClient, db: Database, settings: Settings) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        deposit(db)
        hook.answer(410)
        assert worker(db, settings, webhooks_retry_schedule=(0,)).run_once() >= 1
    rows = deliveries(db, sub.endpoint_id)
    assert sorted(r.status for r in rows) == ["cancelled", "failed"]
    assert len(hook.received) == 1
    gone = endpoint(db, sub.endpoint_id)
    assert (gone.status, gone.disabled_reason) == ("disabled", "gone")
    answer = client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=sub.headers)
    assert answer.status_code == 409 and answer.json()["code"] == "webhook_endpoint_disabled"


@pytest.mark.parametrize("form", ["seconds", "http-date"])
def test_retry_after_is_honoured(client: TestClient, db: Database, settings: Settings, form: str) -> None:
    value = "120" if form == "seconds" else email.utils.formatdate(time.time() + 120, usegmt=True)
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        hook.answer((503, {"Retry-After": value}))
        sender = worker(db, settings)
        assert sender.run_once() == 1
        clock.advance(timedelta(seconds=60))  # past the schedule's 5 s, not the receiver's 120 s
        assert sender.run_once() == 0
        clock.advance(timedelta(seconds=61))
        assert sender.run_once() == 1
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.attempts) == ("delivered", 2)


def test_an_endpoint_failing_for_days_is_disabled(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        hook.answer(*([500] * 10))
        sender = worker(db, settings, webhooks_disable_after_seconds=3 * 86_400)
        schedule = settings.webhooks_retry_schedule
        assert sender.run_once() == 1
        for delay in schedule[1:5]:  # 5 s, 5 min, 30 min, 2 h: still within three days
            clock.advance(timedelta(seconds=delay))
            assert sender.run_once() == 1
        assert endpoint(db, sub.endpoint_id).status == "active"
        deposit(db, account_id="acc_alice")  # a second event, failing too, three days on
        clock.advance(timedelta(days=3))
        assert sender.run_once() == 1  # the first of the due ones fails past the limit
    failed = endpoint(db, sub.endpoint_id)
    assert (failed.status, failed.disabled_reason) == ("disabled", "failing")
    assert sorted(r.status for r in deliveries(db, sub.endpoint_id)) == ["cancelled", "failed"]


def test_a_replay_sends_the_same_webhook_id_and_body_again(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        sender = worker(db, settings)
        assert sender.run_once() == 1
        [row] = deliveries(db, sub.endpoint_id)
        answer = client.post(
            f"{BASE}/{sub.endpoint_id}/deliveries/{row.public_id}/replay", headers=sub.headers
        )
        assert answer.status_code == 202
        assert answer.json()["id"] == row.public_id and answer.json()["status"] == "pending"
        assert sender.run_once() == 1
    first, second = hook.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == row.public_id
    assert first.body == second.body
    Webhook(sub.secret).verify(second.body, second.headers)
    missing = client.post(f"{BASE}/{sub.endpoint_id}/deliveries/msg_nope/replay", headers=sub.headers)
    assert missing.status_code == 404


def test_a_ping_goes_through_the_same_path(client: TestClient, db: Database, settings: Settings) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        answer = client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=sub.headers)
        assert answer.status_code == 202
        assert answer.json()["event_type"] == "webhook.ping" and answer.json()["status"] == "pending"
        assert hook.received == []  # the request only queued it
        assert worker(db, settings).run_once() == 1
    [ping] = hook.received
    body = Webhook(sub.secret).verify(ping.body, ping.headers)
    assert body["type"] == "webhook.ping" and body["data"] == {"endpoint_id": sub.endpoint_id}
    assert ping.headers["webhook-id"] == answer.json()["id"]
    listed = client.get(f"{BASE}/{sub.endpoint_id}/deliveries", headers=sub.headers).json()
    assert [(d["id"], d["status"], d["attempts"]) for d in listed["data"]] == [
        (answer.json()["id"], "delivered", 1)
    ]


def test_during_a_rotation_both_secrets_verify_and_after_it_only_the_new(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        rotated = client.post(f"{BASE}/{sub.endpoint_id}/secret", headers=sub.headers)
        assert rotated.status_code == 200
        new_secret = rotated.json()["secret"]
        assert new_secret.startswith("whsec_") and new_secret != sub.secret
        client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=sub.headers)
        sender = worker(db, settings)
        assert sender.run_once() == 1
        clock.advance(timedelta(seconds=settings.webhooks_secret_grace_seconds + 1))
        later = bearer(self_token(db, sub.partner))  # the first token has expired by now
        assert client.post(f"{BASE}/{sub.endpoint_id}/ping", headers=later).status_code == 202
        assert sender.run_once() == 1
    during, after = hook.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    Webhook(sub.secret).verify(during.body, during.headers)
    Webhook(new_secret).verify(during.body, during.headers)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    Webhook(new_secret).verify(after.body, after.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(sub.secret).verify(after.body, after.headers)


def test_a_name_that_turned_private_is_refused_at_sending(
    client: TestClient, app: FastAPI, db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: public when the endpoint was made, private when the worker looks again."""
    answers = {"address": ipaddress.ip_address("93.184.216.34")}
    monkeypatch.setattr(addresses, "addresses_of", lambda host, port: [answers["address"]])
    strict = settings.model_copy(update={"webhooks_allow_private": False})
    app.state.settings = strict
    try:
        sub = subscriber(client, db, settings, "https://hooks.partner.example/finlife")
    finally:
        app.state.settings = settings
    deposit(db)
    answers["address"] = ipaddress.ip_address("10.0.0.5")
    assert worker(db, strict).run_once() == 1
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.last_error, row.last_status_code) == ("pending", "webhook_url_private", None)
    assert row.next_attempt_at is not None and row.attempts == 1  # retried later, checked again then


def test_plain_http_is_refused_at_sending_once_the_operator_forbids_it(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        assert worker(db, settings, webhooks_allow_private=False).run_once() == 1
        assert hook.received == []
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.last_error) == ("pending", "webhook_url_insecure")


def test_a_receiver_that_cannot_be_reached_is_retried(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sub = subscriber(client, db, settings, f"http://127.0.0.1:{port}/hooks")
    deposit(db)
    clock.freeze(clock.now())  # the retry is due 5 s after the failure, counted from its end
    assert worker(db, settings).run_once() == 1
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.last_error, row.attempts) == ("pending", "connection_failed: ConnectError", 1)
    assert row.next_attempt_at == row.last_attempt_at + timedelta(seconds=5)
    assert endpoint(db, sub.endpoint_id).failing_since == row.last_attempt_at
