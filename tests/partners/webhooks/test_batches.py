"""The webhooks in batches: the fan-out takes a fetched batch of events in one transaction, and the
worker claims, sends and records a round of deliveries at once -- with the rules of one at a time."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from finlife.events.consumers import Event, Registry, apply_batch_once
from finlife.events.relay import EmbeddedSink, Relay
from finlife.kit import outbox
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.models import Consent
from finlife.partners.webhooks.fanout import ensure_subscribed, fan_out
from finlife.partners.webhooks.models import WebhookDelivery
from finlife.settings import Settings
from tests.partners.factories import make_consent
from tests.partners.webhooks.helpers import deliveries, deposit, subscriber, worker
from tests.partners.webhooks.receiver import receiver


def _deposit(n: int, customer_id: str, account_id: str) -> Event:
    payload = {"account_id": account_id, "customer_id": customer_id, "amount": n, "currency": "CNY"}
    return Event(f"evt_batch{customer_id}{n}", "account.cash_deposit", payload, "mobile", clock.now())


def test_a_batch_is_fanned_out_to_each_concerned_endpoint_once_even_when_processed_twice(
    client: TestClient, db: Database, settings: Settings
) -> None:
    url = "http://127.0.0.1:9/hooks"
    alice = subscriber(client, db, settings, url, customer_id="cus_alice", account_ids=["acc_alice"])
    alice_opened = subscriber(client, db, settings, url, events=["account.opened"], name="只订开户")
    bob = subscriber(client, db, settings, url, customer_id="cus_bob", account_ids=["acc_bob"], name="乙")
    revoked = subscriber(client, db, settings, url, name="已撤销")
    elsewhere = subscriber(client, db, settings, url, account_ids=["acc_alice_other"], name="别的账户")
    make_consent(  # bob's partner also holds a consent of alice's for her account: it hears of her
        db, bob.partner, customer_id="cus_alice", account_ids=["acc_alice"], scopes=["transactions:read"]
    )
    with db.unit_of_work() as session:
        session.execute(
            update(Consent).where(Consent.partner_pk == revoked.partner.pk).values(status="revoked")
        )
    events = [_deposit(n, "cus_alice", "acc_alice") for n in range(10)]
    events += [_deposit(n, "cus_bob", "acc_bob") for n in range(5)]
    events.append(Event("evt_batchpay", "payment.approved", {"customer_id": "cus_alice"}, "web", clock.now()))
    subscribers = Registry()
    ensure_subscribed(subscribers)
    [subscription] = subscribers.all()
    assert apply_batch_once(db, subscription, events) == len(events)
    assert apply_batch_once(db, subscription, events) == 0  # handed over again: already processed
    with db.unit_of_work() as session:
        fan_out(session, events)  # and even past the consumer's record, the unique key holds
    alice_ids = {e.id for e in events[:10]}
    assert Counter(d.event_id for d in deliveries(db, alice.endpoint_id)) == Counter(alice_ids)
    assert {d.event_id for d in deliveries(db, bob.endpoint_id)} == {e.id for e in events[:15]}
    assert len(deliveries(db, bob.endpoint_id)) == 15
    for nobody in (alice_opened, revoked, elsewhere):
        assert deliveries(db, nobody.endpoint_id) == []
    assert {d.status for d in deliveries(db, bob.endpoint_id)} == {"pending"}


def test_a_relay_batch_through_the_embedded_stream_queues_every_event(
    client: TestClient, db: Database, settings: Settings
) -> None:
    sub = subscriber(client, db, settings, "http://127.0.0.1:9/hooks")
    payload = {"account_id": "acc_alice", "customer_id": "cus_alice", "amount": 1, "currency": "CNY"}
    for _ in range(40):
        with db.unit_of_work() as session:
            outbox.publish(session, "account.cash_deposit", payload, channel="mobile")
    subscribers = Registry()
    ensure_subscribed(subscribers)
    assert Relay(db, EmbeddedSink(db, subscribers), batch_size=25).drain() == 40
    assert len({d.event_id for d in deliveries(db, sub.endpoint_id)}) == 40


def test_a_round_sends_many_deliveries_and_records_each_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        for _ in range(30):
            deposit(db)
        assert worker(db, settings).run_once() == 30
        assert worker(db, settings).run_once() == 0
    rows = deliveries(db, sub.endpoint_id)
    assert Counter(hook.ids()) == Counter(row.public_id for row in rows)
    assert {(row.status, row.attempts, row.last_status_code) for row in rows} == {("delivered", 1, 200)}


def test_a_failed_first_delivery_holds_the_endpoints_others_unattempted_until_its_retry(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        for _ in range(3):
            deposit(db)
        hook.answer(503)
        clock.freeze(clock.now())
        sender = worker(db, settings)
        assert sender.run_once() == 1  # the first one only: 503
        first, *held = deliveries(db, sub.endpoint_id)
        assert (first.status, first.attempts) == ("pending", 1)
        assert {(row.status, row.attempts) for row in held} == {("pending", 0)}
        assert {row.next_attempt_at for row in held} == {first.next_attempt_at}
        assert sender.run_once() == 0  # all wait for the first one's retry, 5 s on
        clock.advance(timedelta(seconds=5))
        assert sender.run_once() == 3
    assert len(hook.received) == 4
    assert {(row.status, row.attempts) for row in deliveries(db, sub.endpoint_id)[1:]} == {("delivered", 1)}


def test_one_endpoint_takes_no_more_than_its_share_of_a_round(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        busy = subscriber(client, db, settings, hook.url)
        quiet = subscriber(client, db, settings, hook.url, customer_id="cus_bob", account_ids=["acc_bob"])
        for _ in range(6):
            deposit(db)  # the busy endpoint's backlog, older than the quiet one's event
        deposit(db, customer_id="cus_bob", account_id="acc_bob")
        sender = worker(db, settings)
        sender.batch_size, sender.per_endpoint = 4, 3
        assert sender.run_once() == 4
    sent = set(hook.ids())
    assert len(sent & {d.public_id for d in deliveries(db, busy.endpoint_id)}) == 3
    assert {d.public_id for d in deliveries(db, quiet.endpoint_id)} <= sent


def test_a_success_is_recorded_only_on_rows_still_carrying_the_attempt_claimed(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        for _ in range(3):
            deposit(db)
        sending = worker(db, settings)
        with db.unit_of_work() as session:
            lanes = sending.claim_round(session)  # the claim's endpoints and consents come with it
        assert [len(lane.claims) for lane in lanes] == [3]
        first = lanes[0].claims[0].delivery_pk
        with db.unit_of_work() as session:  # replayed while the round is out: a new round of attempts
            session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == first)
                .values(attempts=0, next_attempt_at=clock.now())
            )
        assert sending._send_and_record(lanes) == 3
    rows = {row.id: row for row in deliveries(db, sub.endpoint_id)}
    assert len(hook.received) == 3
    assert (rows[first].status, rows[first].attempts, rows[first].delivered_at) == ("pending", 0, None)
    others = [row for pk, row in rows.items() if pk != first]
    assert {(row.status, row.attempts, row.last_status_code) for row in others} == {("delivered", 1, 200)}
