"""Which events reach which partner: ``concerns`` reads the partner's consents, and the stream's
consumer queues a delivery only for endpoints of partners the event concerns, once per event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.models import Consent, Partner
from finlife.partners.webhooks.concerns import concerns
from finlife.settings import Settings
from tests.partners.factories import make_consent, make_partner
from tests.partners.webhooks.helpers import deliveries, deposit, emit, subscriber, worker
from tests.partners.webhooks.receiver import receiver

DEPOSIT = {"account_id": "acc_a", "customer_id": "cus_a", "amount": 100, "currency": "CNY"}


def _concerns(db: Database, partner_pk: int, event_type: str, payload: dict[str, Any]) -> bool:
    with db.unit_of_work() as session:
        return concerns(session, partner_pk, event_type, payload)


@pytest.fixture
def partner_pk(db: Database, settings: Settings) -> int:
    partner = make_partner(db, settings)
    make_consent(db, partner, customer_id="cus_a", account_ids=["acc_a"], scopes=["transactions:read"])
    return partner.pk


def test_an_event_about_a_consented_account_concerns_its_partner(db: Database, partner_pk: int) -> None:
    assert _concerns(db, partner_pk, "account.cash_deposit", DEPOSIT) is True
    transfer = {
        "transfer_id": "trf_1",
        "customer_id": "cus_a",
        "from_account_id": "acc_a",
        "to_account_id": "acc_z",
    }
    assert _concerns(db, partner_pk, "transfer.completed", transfer) is True


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        ("account.cash_deposit", {**DEPOSIT, "customer_id": "cus_b"}),  # another customer
        ("account.cash_deposit", {**DEPOSIT, "account_id": "acc_b"}),  # an account outside the consent
        ("account.opened", DEPOSIT),  # needs accounts:read, the consent grants transactions:read only
        (
            "transfer.completed",
            {"customer_id": "cus_b", "from_account_id": "acc_b", "to_account_id": "acc_a"},
        ),
        ("payment.approved", DEPOSIT),  # not in the catalogue
        ("webhook.ping", DEPOSIT),  # never from the stream
        ("account.cash_deposit", {"account_id": "acc_a"}),  # names no customer
    ],
)
def test_nothing_else_concerns_it(
    db: Database, partner_pk: int, event_type: str, payload: dict[str, Any]
) -> None:
    assert _concerns(db, partner_pk, event_type, payload) is False


@pytest.mark.parametrize("change", ["revoked", "expired", "awaiting_authorisation", "partner_suspended"])
def test_a_consent_no_longer_in_force_or_a_suspended_partner_concerns_nothing(
    db: Database, partner_pk: int, change: str
) -> None:
    with db.unit_of_work() as session:
        if change == "partner_suspended":
            session.execute(update(Partner).where(Partner.id == partner_pk).values(status="suspended"))
        elif change == "expired":
            session.execute(update(Consent).values(expires_at=clock.now() - timedelta(seconds=1)))
        else:
            session.execute(update(Consent).values(status=change))
    assert _concerns(db, partner_pk, "account.cash_deposit", DEPOSIT) is False


def test_the_stream_queues_an_event_only_for_the_partners_it_concerns_and_only_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        mine = subscriber(client, db, settings, hook.url, customer_id="cus_alice", account_ids=["acc_alice"])
        other = subscriber(client, db, settings, hook.url, customer_id="cus_bob", account_ids=["acc_bob"])
        opened_only = subscriber(
            client, db, settings, hook.url, events=["account.opened"], account_ids=["acc_alice"]
        )
        deposit(db)  # Alice's account
        emit(db, "account.cash_deposit", {"account_id": "acc_alice", "customer_id": "cus_alice", "amount": 5})
        emit(db, "payment.approved", {"payment_id": "pay_1", "customer_id": "cus_alice"})
        assert [d.event_type for d in deliveries(db, mine.endpoint_id)] == ["account.cash_deposit"] * 2
        assert deliveries(db, other.endpoint_id) == []  # Bob's partner hears nothing of Alice
        assert deliveries(db, opened_only.endpoint_id) == []  # not the type it subscribed to
        events = {d.event_id for d in deliveries(db, mine.endpoint_id)}
        assert len(events) == 2
        assert worker(db, settings).drain() == 2
    assert sorted(r.headers["webhook-id"] for r in hook.received) == sorted(
        d.public_id for d in deliveries(db, mine.endpoint_id)
    )


def test_an_event_handed_over_twice_is_queued_once(
    client: TestClient, db: Database, settings: Settings
) -> None:
    from finlife.events.consumers import Event, Registry, apply_once
    from finlife.partners.webhooks.fanout import CONSUMER, ensure_subscribed

    sub = subscriber(client, db, settings, "http://127.0.0.1:9/hooks")
    subscribers = Registry()
    ensure_subscribed(subscribers)
    ensure_subscribed(subscribers)  # a second call subscribes nothing more
    [subscription] = subscribers.all()
    assert subscription.name == CONSUMER
    event = Event(
        "evt_once",
        "account.cash_deposit",
        {**DEPOSIT, "account_id": "acc_alice", "customer_id": "cus_alice"},
        "mobile",
        clock.now(),
    )
    assert apply_once(db, subscription, event) is True
    assert apply_once(db, subscription, event) is False
    assert [d.event_id for d in deliveries(db, sub.endpoint_id)] == ["evt_once"]


def test_a_consent_revoked_before_sending_cancels_the_delivery(
    client: TestClient, db: Database, settings: Settings
) -> None:
    with receiver() as hook:
        sub = subscriber(client, db, settings, hook.url)
        deposit(db)
        with db.unit_of_work() as session:
            session.execute(
                update(Consent).where(Consent.partner_pk == sub.partner.pk).values(status="revoked")
            )
        assert worker(db, settings).run_once() == 0
        assert hook.received == []
    [row] = deliveries(db, sub.endpoint_id)
    assert (row.status, row.last_error) == ("cancelled", "no_consent")


def test_make_consent_for_another_partner_does_not_leak(
    db: Database, settings: Settings, partner_pk: int
) -> None:
    stranger = make_partner(db, settings, name="别家")
    assert _concerns(db, stranger.pk, "account.cash_deposit", DEPOSIT) is False
