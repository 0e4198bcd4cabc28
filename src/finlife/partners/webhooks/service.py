"""A partner's webhook endpoints: subscribe, list, disable, rotate the secret, ping, replay, and the
deliveries made. Every function acts for the partner of the caller's token, and finds only its rows
(another partner's endpoint is "not found", never "forbidden": its existence is not told)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Conflict, Forbidden, NotFound, RuleViolation
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.partners.models import Partner
from finlife.partners.webhooks import addresses, deliveries, secret_box
from finlife.partners.webhooks.catalogue import PING, SUBSCRIBABLE
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint
from finlife.partners.webhooks.schemas import (
    DeliveryOut,
    EndpointCreated,
    EndpointIn,
    EndpointOut,
    SecretRotated,
)
from finlife.settings import Settings


def partner_pk_of(session: Session, actor: Actor) -> int:
    if actor.grant is None:
        raise Forbidden()
    found = session.execute(select(Partner.id).where(Partner.public_id == actor.grant.partner_id)).scalar()
    if found is None:
        raise Forbidden()
    return found


def _endpoint(session: Session, actor: Actor, endpoint_id: str) -> WebhookEndpoint:
    endpoint = session.execute(
        select(WebhookEndpoint).where(
            WebhookEndpoint.public_id == endpoint_id,
            WebhookEndpoint.partner_pk == partner_pk_of(session, actor),
        )
    ).scalar()
    if endpoint is None:
        raise NotFound("webhook_endpoint")
    return endpoint


def _active(endpoint: WebhookEndpoint) -> WebhookEndpoint:
    if endpoint.status != "active":
        raise Conflict("webhook_endpoint_disabled")
    return endpoint


def endpoint_out(endpoint: WebhookEndpoint) -> EndpointOut:
    grace = endpoint.previous_secret_until
    return EndpointOut(
        id=endpoint.public_id,
        url=endpoint.url,
        events=list(endpoint.events),
        status=endpoint.status,
        disabled_reason=endpoint.disabled_reason,
        created_at=endpoint.created_at,
        disabled_at=endpoint.disabled_at,
        previous_secret_expires_at=grace if grace is not None and grace > clock.now() else None,
    )


def delivery_out(delivery: WebhookDelivery) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.public_id,
        event_id=delivery.event_id,
        event_type=delivery.event_type,
        status=delivery.status,
        attempts=delivery.attempts,
        last_status_code=delivery.last_status_code,
        last_error=delivery.last_error,
        last_attempt_at=delivery.last_attempt_at,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        created_at=delivery.created_at,
    )


def _events(requested: list[str]) -> list[str]:
    for event_type in requested:
        if event_type not in SUBSCRIBABLE:
            raise RuleViolation("webhook_event_unknown", params={"event": event_type[:64]}, field="events")
    return sorted(set(requested))


def create_endpoint(session: Session, settings: Settings, actor: Actor, data: EndpointIn) -> EndpointCreated:
    """Subscribe ``data.url`` to ``data.events``; the answer holds the secret, shown this once."""
    partner_pk = partner_pk_of(session, actor)
    events = _events(data.events)
    addresses.resolve(data.url, allow_private=settings.webhooks_allow_private)
    secret = secret_box.new_secret()
    endpoint = WebhookEndpoint(
        public_id=new_id("whe"),
        partner_pk=partner_pk,
        url=data.url,
        events=events,
        status="active",
        secret_sealed=secret_box.seal(secret, settings.secret_key),
        created_at=clock.now(),
    )
    session.add(endpoint)
    session.flush()
    return EndpointCreated(**endpoint_out(endpoint).model_dump(), secret=secret)


def list_endpoints(session: Session, actor: Actor) -> list[EndpointOut]:
    rows = session.execute(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.partner_pk == partner_pk_of(session, actor))
        .order_by(WebhookEndpoint.id.desc())
    ).scalars()
    return [endpoint_out(endpoint) for endpoint in rows]


def get_endpoint(session: Session, actor: Actor, endpoint_id: str) -> EndpointOut:
    return endpoint_out(_endpoint(session, actor, endpoint_id))


def disable_endpoint(session: Session, actor: Actor, endpoint_id: str) -> EndpointOut:
    """The partner stops an endpoint (kept, with its deliveries, for the record); a second call is a no-op."""
    endpoint = _endpoint(session, actor, endpoint_id)
    if endpoint.status == "active":
        deliveries.disable(session, endpoint, "partner")
    return endpoint_out(endpoint)


def rotate_secret(session: Session, settings: Settings, actor: Actor, endpoint_id: str) -> SecretRotated:
    """A new secret at once; the current one keeps signing beside it for the grace period."""
    endpoint = _active(_endpoint(session, actor, endpoint_id))
    secret = secret_box.new_secret()
    until = clock.now() + timedelta(seconds=settings.webhooks_secret_grace_seconds)
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_secret_until = until
    endpoint.secret_sealed = secret_box.seal(secret, settings.secret_key)
    session.flush()
    return SecretRotated(id=endpoint.public_id, secret=secret, previous_secret_expires_at=until)


def ping(session: Session, actor: Actor, endpoint_id: str) -> DeliveryOut:
    """Queue a ``webhook.ping`` for the endpoint: the worker sends it like any event."""
    endpoint = _active(_endpoint(session, actor, endpoint_id))
    event_id = new_id("evt")
    deliveries.queue(
        session,
        endpoint.id,
        event_id=event_id,
        event_type=PING,
        created_at=clock.now(),
        data={"endpoint_id": endpoint.public_id},
    )
    return _delivery_out_by_event(session, endpoint, event_id)


def _delivery_out_by_event(session: Session, endpoint: WebhookEndpoint, event_id: str) -> DeliveryOut:
    delivery = session.execute(
        select(WebhookDelivery).where(
            WebhookDelivery.endpoint_pk == endpoint.id, WebhookDelivery.event_id == event_id
        )
    ).scalar_one()
    return delivery_out(delivery)


def replay(session: Session, actor: Actor, endpoint_id: str, delivery_id: str) -> DeliveryOut:
    """Send a delivery again, due now, with the same webhook-id and body: a new round of attempts."""
    endpoint = _active(_endpoint(session, actor, endpoint_id))
    delivery = session.execute(
        select(WebhookDelivery).where(
            WebhookDelivery.public_id == delivery_id, WebhookDelivery.endpoint_pk == endpoint.id
        )
    ).scalar()
    if delivery is None:
        raise NotFound("webhook_delivery")
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = clock.now()
    delivery.last_error = None
    session.flush()
    return delivery_out(delivery)


def list_deliveries(
    session: Session, actor: Actor, endpoint_id: str, params: PageParams
) -> Page[DeliveryOut]:
    endpoint = _endpoint(session, actor, endpoint_id)
    rows, has_more = paginate(
        session,
        select(WebhookDelivery).where(WebhookDelivery.endpoint_pk == endpoint.id),
        id_column=WebhookDelivery.id,
        public_id_column=WebhookDelivery.public_id,
        params=params,
    )
    return Page[DeliveryOut](data=[delivery_out(row) for row in rows], has_more=has_more)
