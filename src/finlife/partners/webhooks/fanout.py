"""The webhooks' consumer of the event stream: each committed event becomes deliveries, one per
endpoint that subscribed to its type and whose partner the event concerns (``concerns``).

It runs in the consumer's transaction (``events.apply_once``): the deliveries and the consumer's
``processed_events`` row commit together, so an event handed over twice is queued once; the unique
``(endpoint, event)`` key says the same again. Sending is the worker's job, never the request's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.events.consumers import Event, Registry, registry
from finlife.partners.models import Consent
from finlife.partners.webhooks import deliveries
from finlife.partners.webhooks.catalogue import CATALOGUE
from finlife.partners.webhooks.concerns import concerns
from finlife.partners.webhooks.models import WebhookEndpoint

CONSUMER = "partners.webhooks"


def fan_out(session: Session, event: Event) -> None:
    if event.type not in CATALOGUE or not isinstance(event.payload.get("customer_id"), str):
        return
    # Only partners holding a consent of this customer can be concerned: start from those.
    partners = set(
        session.execute(
            select(Consent.partner_pk).where(
                Consent.customer_id == event.payload["customer_id"], Consent.status == "authorised"
            )
        ).scalars()
    )
    concerned = {pk for pk in partners if concerns(session, pk, event.type, event.payload)}
    if not concerned:
        return
    endpoints = session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.events).where(
            WebhookEndpoint.partner_pk.in_(sorted(concerned)), WebhookEndpoint.status == "active"
        )
    )
    for endpoint_pk, events in endpoints:
        if event.type in events:
            deliveries.queue(
                session,
                endpoint_pk,
                event_id=event.id,
                event_type=event.type,
                created_at=event.created_at,
                data=event.payload,
            )


def ensure_subscribed(subscribers: Registry = registry) -> None:
    """Subscribe the consumer once per process (the app and ``finlife relay`` both call this)."""
    if all(subscription.name != CONSUMER for subscription in subscribers.all()):
        subscribers.subscribe("*", fan_out, name=CONSUMER)
