"""The delivery worker: sends due deliveries, records each attempt, schedules the next.

Claiming. A round claims up to ``batch_size`` due deliveries in a short transaction: on PostgreSQL
``SELECT … FOR UPDATE SKIP LOCKED`` (workers on several nodes take different rows, none waits), and on
both databases a conditional ``UPDATE … WHERE status = 'pending' AND next_attempt_at <= now`` that
counts the attempt and pushes ``next_attempt_at`` ahead by a lease. Only the worker whose update
matched sends; the lease outlasts the request's timeout, so a worker that dies mid-send leaves the
row due again after it (at least once: the receiver deduplicates by ``webhook-id``). The attempt's
result is written only if the row is still the one claimed (same attempt count, still pending).

Sending happens outside any transaction: no row lock or connection is held while a receiver thinks.
"""

from __future__ import annotations

import email.utils
import json
import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.partners.webhooks import addresses, deliveries, secret_box, signing
from finlife.partners.webhooks.catalogue import PING
from finlife.partners.webhooks.concerns import concerns
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint
from finlife.settings import Settings

log = logging.getLogger(__name__)
LEASE_SECONDS = 60  # longer than any attempt (timeout and DNS)
MAX_RETRY_AFTER_SECONDS = 86_400


@dataclass(frozen=True)
class Claim:
    delivery_pk: int
    endpoint_pk: int
    attempt: int  # the attempt count this claim set: the result is recorded only against it
    message_id: str
    body: str
    url: str
    secrets: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str | None = None
    retry_after: int | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_after_seconds(header: str | None, now: datetime) -> int | None:
    """``Retry-After`` as seconds or an HTTP date (RFC 9110 §10.2.3); None when absent or unreadable."""
    if not header:
        return None
    value = header.strip()
    if value.isdigit():
        return min(int(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(0, int((when - now).total_seconds())), MAX_RETRY_AFTER_SECONDS)


class DeliveryWorker:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        client: httpx.Client | None = None,
        batch_size: int = 20,
    ) -> None:
        self.database = database
        self.settings = settings
        self.batch_size = batch_size
        self.client = client or httpx.Client(
            timeout=settings.webhooks_timeout_seconds, follow_redirects=False
        )

    def run_once(self) -> int:
        """One round: claim what is due, send it, record it. Returns how many attempts were made."""
        with self.database.unit_of_work() as session:
            claims = self._claim(session)
        stopped: set[int] = set()  # endpoints disabled by an answer in this round: send them no more
        sent = 0
        for claim in claims:
            if claim.endpoint_pk in stopped:
                continue  # its claim was cancelled with the endpoint's other pending deliveries
            sent += 1
            outcome = self._send(claim)
            with self.database.unit_of_work() as session:
                if not self._record(session, claim, outcome):
                    stopped.add(claim.endpoint_pk)
        return sent

    def drain(self) -> int:
        """Rounds until nothing is due now (``finlife webhooks deliver --once``)."""
        total = 0
        while (sent := self.run_once()) > 0:
            total += sent
        return total

    def run(self, stop: threading.Event, *, idle_max_seconds: float = 1.0) -> None:
        pause = 0.05
        while not stop.is_set():
            try:
                sent = self.run_once()
            except Exception:
                log.exception("a webhook delivery round failed; trying again")
                sent = 0
            pause = 0.05 if sent else min(pause * 2, idle_max_seconds)
            stop.wait(0 if sent else pause)

    def close(self) -> None:
        self.client.close()

    def _claim(self, session: Session) -> list[Claim]:
        now = clock.now()
        due = (
            select(WebhookDelivery.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_pk)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
                WebhookEndpoint.status == "active",
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(self.batch_size)
        )
        if not self.database.is_sqlite:
            due = due.with_for_update(of=WebhookDelivery, skip_locked=True)
        claims = []
        for delivery_pk in list(session.execute(due).scalars()):
            claim = self._claim_one(session, delivery_pk, now)
            if claim is not None:
                claims.append(claim)
        return claims

    def _claim_one(self, session: Session, delivery_pk: int, now: datetime) -> Claim | None:
        taken = session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_pk,
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= now,
            )
            .values(
                attempts=WebhookDelivery.attempts + 1,
                next_attempt_at=now + timedelta(seconds=LEASE_SECONDS),
                last_attempt_at=now,
            )
            .returning(WebhookDelivery.attempts)
        ).first()
        if taken is None:
            return None  # another worker claimed it first
        delivery = session.get(WebhookDelivery, delivery_pk, populate_existing=True)
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_pk) if delivery else None
        if delivery is None or endpoint is None:
            return None
        if delivery.event_type != PING and not self._still_concerns(session, endpoint, delivery):
            delivery.status, delivery.next_attempt_at, delivery.last_error = "cancelled", None, "no_consent"
            return None
        return Claim(
            delivery_pk=delivery.id,
            endpoint_pk=endpoint.id,
            attempt=taken[0],
            message_id=delivery.public_id,
            body=delivery.body,
            url=endpoint.url,
            secrets=self._secrets(endpoint, now),
        )

    def _still_concerns(self, session: Session, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> bool:
        """The consent may have been revoked since the event: ask the rule again before sending."""
        data: dict[str, Any] = json.loads(delivery.body)["data"]
        return concerns(session, endpoint.partner_pk, delivery.event_type, data)

    def _secrets(self, endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
        key = self.settings.secret_key
        current = secret_box.unseal(endpoint.secret_sealed, key)
        grace = endpoint.previous_secret_until
        if endpoint.previous_secret_sealed and grace is not None and grace > now:
            return (current, secret_box.unseal(endpoint.previous_secret_sealed, key))
        return (current,)

    def _send(self, claim: Claim) -> Outcome:
        try:
            target = addresses.resolve(claim.url, allow_private=self.settings.webhooks_allow_private)
        except addresses.UrlRefused as refused:
            return Outcome(error=refused.code)
        headers = signing.headers(claim.message_id, claim.body, claim.secrets)
        headers["host"] = target.host_header
        extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else None
        try:
            # Streamed and closed unread: only the status and headers matter, and a receiver's body,
            # however large or slow, is never downloaded.
            with self.client.stream(
                "POST", target.url, content=claim.body.encode(), headers=headers, extensions=extensions
            ) as answer:
                return Outcome(
                    status_code=answer.status_code,
                    retry_after=retry_after_seconds(answer.headers.get("retry-after"), clock.now()),
                )
        except httpx.TimeoutException:
            return Outcome(error="timeout")
        except httpx.HTTPError as error:
            return Outcome(error=f"connection_failed: {type(error).__name__}")

    def _record(self, session: Session, claim: Claim, outcome: Outcome) -> bool:
        """Write the attempt's result; False when it disabled the endpoint."""
        delivery = session.get(WebhookDelivery, claim.delivery_pk, with_for_update=True)
        if delivery is None or delivery.status != "pending" or delivery.attempts != claim.attempt:
            return True  # replayed or settled meanwhile: this attempt's result is no longer the row's
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_pk, with_for_update=True)
        assert endpoint is not None
        now = clock.now()
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.delivered:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
            endpoint.failing_since = None
            return True
        if outcome.status_code == 410:  # Gone: the receiver asks for no more
            delivery.status, delivery.next_attempt_at = "failed", None
            deliveries.disable(session, endpoint, "gone")
            return False
        endpoint.failing_since = endpoint.failing_since or now
        if now - endpoint.failing_since >= timedelta(seconds=self.settings.webhooks_disable_after_seconds):
            delivery.status, delivery.next_attempt_at = "failed", None
            deliveries.disable(session, endpoint, "failing")
            return False
        schedule = self.settings.webhooks_retry_schedule
        if delivery.attempts >= len(schedule):
            delivery.status, delivery.next_attempt_at = "failed", None
            return True
        wait = max(schedule[delivery.attempts], outcome.retry_after or 0)
        delivery.next_attempt_at = now + timedelta(seconds=wait)
        return True
