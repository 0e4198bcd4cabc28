"""The webhooks' consumer of the event stream: each committed event becomes deliveries, one per
endpoint that subscribed to its type and whose partner the event concerns (``concerns``).

It takes a fetched batch of events in one transaction of the consumer (``events.apply_batch_once``):
the deliveries and the consumer's ``processed_events`` rows commit together, so an event handed over
twice is queued once; the unique ``(endpoint, event)`` key says the same again (a batch processed a
second time inserts nothing). Per batch, whatever its size: one query for the consents in force of
the batch's customers, one for those partners' active endpoints, one multi-row insert per 500
deliveries -- instead of a transaction, three queries and an insert per event. Sending is the
worker's job, never the request's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.events.consumers import Event, Registry, registry
from finlife.kit.clock import clock
from finlife.partners.webhooks import deliveries
from finlife.partners.webhooks.concerns import ConsentsInForce, customer_of
from finlife.partners.webhooks.models import WebhookEndpoint

CONSUMER = "partners.webhooks"


def fan_out(session: Session, events: Sequence[Event]) -> None:
    about = [(event, customer) for event in events if (customer := customer_of(event.type, event.payload))]
    if not about:
        return
    consents = ConsentsInForce.load(session, {customer for _, customer in about})
    partners = {pk for _, customer in about for pk in consents.partners_of(customer)}
    if not partners:
        return
    endpoints: dict[int, list[tuple[int, list[str]]]] = defaultdict(list)
    for endpoint_pk, partner_pk, types in session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.partner_pk, WebhookEndpoint.events)
        .where(WebhookEndpoint.partner_pk.in_(sorted(partners)), WebhookEndpoint.status == "active")
        .order_by(WebhookEndpoint.id)
    ):
        endpoints[partner_pk].append((endpoint_pk, types))
    now, rows = clock.now(), []
    for event, customer in about:
        body = None
        for partner_pk in consents.partners_of(customer):
            if not consents.concerns(partner_pk, event.type, event.payload):
                continue
            for endpoint_pk, types in endpoints.get(partner_pk, []):
                if event.type in types:
                    body = body or deliveries.body_of(event.id, event.type, event.created_at, event.payload)
                    rows.append(
                        deliveries.row_of(
                            endpoint_pk, event_id=event.id, event_type=event.type, body=body, now=now
                        )
                    )
    deliveries.queue_many(session, rows)


def ensure_subscribed(subscribers: Registry = registry) -> None:
    """Subscribe the consumer once per process (the app and ``finlife relay`` both call this)."""
    if all(subscription.name != CONSUMER for subscription in subscribers.all()):
        subscribers.subscribe_batches("*", fan_out, name=CONSUMER)
