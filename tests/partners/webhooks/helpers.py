"""Shared steps of the webhook tests: a partner with an endpoint, an event through the stream, the worker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.events.consumers import Registry
from finlife.events.relay import EmbeddedSink, Relay
from finlife.kit import outbox
from finlife.kit.db import Database
from finlife.partners.webhooks.fanout import ensure_subscribed
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint
from finlife.partners.webhooks.worker import DeliveryWorker
from finlife.settings import Settings
from tests.partners.factories import MadePartner, make_consent, make_partner, partner_token

BASE = "/v1/partner/webhooks"


@dataclass(frozen=True)
class Subscriber:
    partner: MadePartner
    token: str
    endpoint_id: str
    secret: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def self_token(db: Database, partner: MadePartner) -> str:
    return partner_token(db, partner, scopes=["partner:self"])


def subscriber(
    client: TestClient,
    db: Database,
    settings: Settings,
    url: str,
    *,
    events: list[str] | None = None,
    customer_id: str = "cus_alice",
    account_ids: list[str] | None = None,
    name: str = "好邻居生活",
) -> Subscriber:
    """An active partner, a consent of ``customer_id`` for its accounts, and an endpoint at ``url``."""
    partner = make_partner(db, settings, name=name)
    make_consent(
        db,
        partner,
        customer_id=customer_id,
        account_ids=account_ids or ["acc_alice"],
        scopes=["accounts:read", "transactions:read"],
    )
    token = self_token(db, partner)
    answer = client.post(
        BASE, json={"url": url, "events": events or ["account.cash_deposit"]}, headers=bearer(token)
    )
    assert answer.status_code == 201, answer.text
    return Subscriber(partner, token, answer.json()["id"], answer.json()["secret"])


def emit(db: Database, event_type: str, payload: dict[str, Any]) -> None:
    """Commit an outbox event as a request would, then relay it to the webhooks' consumer."""
    with db.unit_of_work() as session:
        outbox.publish(session, event_type, payload, channel="mobile")
    subscribers = Registry()
    ensure_subscribed(subscribers)
    Relay(db, EmbeddedSink(db, subscribers)).drain()


def deposit(db: Database, *, customer_id: str = "cus_alice", account_id: str = "acc_alice") -> None:
    emit(
        db,
        "account.cash_deposit",
        {"account_id": account_id, "customer_id": customer_id, "amount": 10_000, "currency": "CNY"},
    )


def worker(db: Database, settings: Settings, **changes: Any) -> DeliveryWorker:
    return DeliveryWorker(db, settings.model_copy(update=changes))


def deliveries(db: Database, endpoint_id: str) -> list[WebhookDelivery]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(WebhookDelivery)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_pk)
            .where(WebhookEndpoint.public_id == endpoint_id)
            .order_by(WebhookDelivery.id)
        ).scalars()
        found = list(rows)
        session.expunge_all()
        return found


def endpoint(db: Database, endpoint_id: str) -> WebhookEndpoint:
    with db.unit_of_work() as session:
        row = session.execute(
            select(WebhookEndpoint).where(WebhookEndpoint.public_id == endpoint_id)
        ).scalar_one()
        session.expunge_all()
        return row
