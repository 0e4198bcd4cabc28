"""The delivery worker: sends due deliveries, records each attempt, schedules the next.

A round has three steps, with no transaction open while receivers answer:

1. **Claim** (one short transaction): one statement claims up to ``batch_size`` due deliveries of
   active endpoints, at most ``per_endpoint`` of any one endpoint (so an endpoint with a backlog
   cannot fill every round): ``UPDATE … SET attempts = attempts + 1, next_attempt_at = now + lease
   WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) AND status = 'pending' AND next_attempt_at
   <= now RETURNING …``. On PostgreSQL the inner ``SKIP LOCKED`` lets workers on several nodes take
   different rows without waiting; on SQLite (no row locks, writes serialised) the conditional
   ``UPDATE`` alone decides. Only the worker whose update matched a row sends it; the lease outlasts
   a round (two requests' timeouts), so a worker that dies mid-send leaves the row due again after it
   (at least once: the receiver deduplicates by ``webhook-id``). The endpoints are read once (on
   PostgreSQL with the claim itself, ``UPDATE … FROM``), the consents of the whole batch are checked
   again in one query (on PostgreSQL in the round trip of the claim's COMMIT; a delivery no consent
   covers any more is cancelled, unsent, if it still carries the claim) and each endpoint's secrets
   unsealed. Two round trips on PostgreSQL, where there were four.
2. **Send** (``sending``): concurrently on a bounded pool, each endpoint's first delivery first (a
   failed first one holds the endpoint's others back, unattempted, until its retry: ``_hold``).
3. **Record** (one transaction): each result is written only if the row still carries the attempt
   claimed. Successes first, in one ``UPDATE`` for the round (and one clearing the endpoints' failing
   streak) -- on PostgreSQL two statements of fixed text over arrays, sent with the COMMIT: a round
   of successes costs one round trip; then each other outcome on its row, locked, so a 410 in the
   same round disables the endpoint and cancels only what is still pending.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.pipeline import DriverSQL, array_literal, defer_sql, fetch_together
from finlife.partners.webhooks import deliveries, secret_box
from finlife.partners.webhooks.catalogue import PING
from finlife.partners.webhooks.concerns import CONSENTS_IN_FORCE_SQL, ConsentsInForce, customer_of
from finlife.partners.webhooks.models import WebhookDelivery, WebhookEndpoint
from finlife.partners.webhooks.sending import Claim, Lane, Outcome, Sender
from finlife.settings import Settings

log = logging.getLogger(__name__)
LEASE_SECONDS = 60  # longer than a round (two requests' timeouts, DNS) and its recording


class DeliveryWorker:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        batch_size: int = 500,
        per_endpoint: int = 250,
        concurrency: int = 16,
    ) -> None:
        self.database = database
        self.settings = settings
        self.batch_size = batch_size
        self.per_endpoint = per_endpoint
        self.sender = Sender(
            timeout=settings.webhooks_timeout_seconds,
            allow_private=settings.webhooks_allow_private,
            disable_after_seconds=settings.webhooks_disable_after_seconds,
            concurrency=concurrency,
        )

    def run_once(self) -> int:
        """One round: claim what is due, send it, record it. Returns how many attempts were made."""
        with self.database.unit_of_work() as session:
            lanes = self.claim_round(session)
        return self._send_and_record(lanes)

    def drain(self) -> int:
        """Rounds until nothing is due now (``finlife webhooks deliver --once``)."""
        total = 0
        while (sent := self.run_once()) > 0:
            total += sent
        return total

    def run(self, stop: threading.Event, *, idle_max_seconds: float = 1.0) -> None:
        """Rounds until ``stop``. While a round's requests are out, the next round is claimed on a
        thread of its own, so the database's round trips overlap the receivers' answers instead of
        following them (at 1,000 events/s the claim is a third of a round). A round claimed when
        ``stop`` comes is given back unsent, due at once for the next worker."""
        pause = 0.05
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="finlife-webhook-claim") as claimer:
            lanes = self._claim_or_nothing()
            while not stop.is_set():
                if not lanes:
                    pause = min(pause * 2, idle_max_seconds)
                    stop.wait(pause)
                    lanes = self._claim_or_nothing()
                    continue
                pause = 0.05
                following = claimer.submit(self._claim_or_nothing)
                try:
                    self._send_and_record(lanes)
                except Exception:
                    log.exception("a webhook delivery round failed; its claims are due again after the lease")
                lanes = following.result()
            if lanes:
                self._give_back(lanes)

    def _claim_or_nothing(self) -> list[Lane]:
        try:
            with self.database.unit_of_work() as session:
                return self.claim_round(session)
        except Exception:
            log.exception("claiming a round of webhook deliveries failed; trying again")
            return []

    def _send_and_record(self, lanes: list[Lane]) -> int:
        if not lanes:
            return 0
        done = self.sender.send_round(lanes)
        with self.database.unit_of_work() as session:
            self._record(session, done.sent)
            self._hold(session, done.held)
        return len(done.sent)

    def _give_back(self, lanes: list[Lane]) -> None:
        """Unsent claims get their attempt back and are due now (rather than after the lease)."""
        with self.database.unit_of_work() as session:
            _hand_back(session, [claim for lane in lanes for claim in lane.claims], due=clock.now())

    def close(self) -> None:
        self.sender.close()

    def claim_round(self, session: Session) -> list[Lane]:
        """Claim a round's due deliveries (step 1), grouped by endpoint; the caller commits.

        PostgreSQL, two round trips: the claim returns the endpoints' columns with the rows
        (``UPDATE … FROM``), and the consents are read in the round trip of the COMMIT; a delivery
        no consent covers any more is cancelled after it, in a transaction of its own (the claim's
        lease keeps other workers off it meanwhile). SQLite: the endpoints and the consents read in
        the claim's transaction."""
        now = clock.now()
        postgresql = not self.database.is_sqlite
        taken = list(session.execute(self._claim_statement(now, with_endpoints=postgresql)).all())
        if not taken:
            return []
        data: dict[int, dict[str, Any]] = {
            row.id: json.loads(row.body)["data"] for row in taken if row.event_type != PING
        }
        customers = {
            c for row in taken if row.id in data and (c := customer_of(row.event_type, data[row.id]))
        }
        if postgresql:
            endpoints = {row.endpoint_pk: Endpoint.of(row) for row in taken}
            consents = self._consents_with_commit(session, customers, endpoints, now)
        else:
            endpoints = {
                endpoint.id: Endpoint.of(endpoint)
                for endpoint in session.execute(
                    select(WebhookEndpoint).where(WebhookEndpoint.id.in_({row.endpoint_pk for row in taken}))
                ).scalars()
            }
            # The consent rule asked again for the whole batch, in one query.
            consents = ConsentsInForce.load(session, customers, {e.partner_pk for e in endpoints.values()})
        lanes: dict[int, Lane] = {}
        cancelled: list[Claim] = []
        for row in sorted(taken, key=lambda r: r.id):
            endpoint = endpoints[row.endpoint_pk]
            claim = Claim(row.id, endpoint.id, row.attempts, row.public_id, row.body)
            if row.event_type != PING and not consents.concerns(
                endpoint.partner_pk, row.event_type, data[row.id]
            ):
                cancelled.append(claim)  # the consent was revoked (or expired) since the event
                continue
            lane = lanes.get(endpoint.id)
            if lane is None:
                lane = lanes[endpoint.id] = Lane(
                    endpoint.id, endpoint.url, self._secrets(endpoint, now), endpoint.failing_since
                )
            lane.claims.append(claim)
        if cancelled:
            _cancel_unconcerned(session, cancelled)
        return list(lanes.values())

    def _consents_with_commit(
        self, session: Session, customers: set[str], endpoints: dict[int, Endpoint], now: datetime
    ) -> ConsentsInForce:
        """PostgreSQL: the consents in force, read in the claim's last round trip with its COMMIT."""
        if not customers:
            fetch_together(session, commit=True)
            return ConsentsInForce()
        params = {
            "customers": array_literal(sorted(customers)),
            "partners": array_literal(sorted({e.partner_pk for e in endpoints.values()})),
            "now": now,
        }
        (rows,) = fetch_together(session, (CONSENTS_IN_FORCE_SQL, params), commit=True)
        return ConsentsInForce.from_rows(rows)

    def _claim_statement(self, now: datetime, *, with_endpoints: bool) -> Any:
        due = (WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        rank = func.row_number().over(
            partition_by=WebhookDelivery.endpoint_pk,
            order_by=(WebhookDelivery.next_attempt_at, WebhookDelivery.id),
        )
        ranked = (
            select(WebhookDelivery.id, rank.label("rank"))
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_pk)
            .where(*due, WebhookEndpoint.status == "active")
            .subquery()
        )
        fair = select(ranked.c.id).where(ranked.c.rank <= self.per_endpoint)
        picked = (
            select(WebhookDelivery.id)
            .where(WebhookDelivery.id.in_(fair), *due)
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(self.batch_size)
        )
        if not self.database.is_sqlite:
            picked = picked.with_for_update(skip_locked=True)
        claim = (
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(picked), *due)
            .values(
                attempts=WebhookDelivery.attempts + 1,
                next_attempt_at=now + timedelta(seconds=LEASE_SECONDS),
                last_attempt_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        returned = (
            WebhookDelivery.id,
            WebhookDelivery.endpoint_pk,
            WebhookDelivery.attempts,
            WebhookDelivery.public_id,
            WebhookDelivery.event_type,
            WebhookDelivery.body,
        )
        if not with_endpoints:
            return claim.returning(*returned)
        # PostgreSQL: UPDATE … FROM the endpoints, whose columns come back with the rows (SQLite's
        # RETURNING cannot name another table's columns).
        return claim.where(WebhookEndpoint.id == WebhookDelivery.endpoint_pk).returning(
            *returned,
            *(getattr(WebhookEndpoint, name).label(f"endpoint_{name}") for name in Endpoint.COLUMNS),
        )

    def _secrets(self, endpoint: Endpoint, now: datetime) -> tuple[str, ...]:
        key = self.settings.secret_key
        current = secret_box.unseal(endpoint.secret_sealed, key)
        grace = endpoint.previous_secret_until
        if endpoint.previous_secret_sealed and grace is not None and grace > now:
            return (current, secret_box.unseal(endpoint.previous_secret_sealed, key))
        return (current,)

    def _record(self, session: Session, results: list[tuple[Claim, Outcome]]) -> None:
        """Successes first, in a few statements; then each other outcome on its locked row."""
        self._record_delivered(session, [(c, o) for c, o in results if o.delivered])
        others = [(claim, outcome) for claim, outcome in results if not outcome.delivered]
        if not others:
            return
        # FOR NO KEY UPDATE: the fan-out inserting deliveries for these endpoints (a foreign key's
        # KEY SHARE lock) is not held up by the recording.
        rows = {
            row.id: row
            for row in session.execute(
                select(WebhookDelivery)
                .where(WebhookDelivery.id.in_(sorted(claim.delivery_pk for claim, _ in others)))
                .order_by(WebhookDelivery.id)
                .with_for_update(key_share=True)
            ).scalars()
        }
        endpoints = {
            endpoint.id: endpoint
            for endpoint in session.execute(
                select(WebhookEndpoint)
                .where(WebhookEndpoint.id.in_({row.endpoint_pk for row in rows.values()}))
                .order_by(WebhookEndpoint.id)
                .with_for_update(key_share=True)
            ).scalars()
        }
        for claim, outcome in others:
            delivery = rows.get(claim.delivery_pk)
            if delivery is None or delivery.status != "pending" or delivery.attempts != claim.attempt:
                continue  # replayed, cancelled or settled meanwhile: no longer this attempt's row
            self._settle(session, delivery, endpoints[delivery.endpoint_pk], outcome)

    def _record_delivered(self, session: Session, delivered: list[tuple[Claim, Outcome]]) -> None:
        """One UPDATE per (attempt, status) group -- in practice one per round -- each matching only
        rows still carrying the attempt claimed, and one clearing the endpoints' failing streak."""
        if not delivered:
            return
        now = clock.now()
        if not self.database.is_sqlite:
            # Two statements of fixed text, queued to go with the COMMIT: a round of successes is
            # recorded in one round trip.
            ids = [claim.delivery_pk for claim, _ in delivered]
            params = {
                "now": now,
                "ids": array_literal(ids),
                "attempts": array_literal([claim.attempt for claim, _ in delivered]),
                "codes": array_literal([outcome.status_code or 0 for _, outcome in delivered]),
            }
            defer_sql(session, DriverSQL(_DELIVERED_SQL, params, what="recording webhook deliveries"))
            endpoint_pks = array_literal(sorted({claim.endpoint_pk for claim, _ in delivered}))
            defer_sql(session, DriverSQL(_ENDPOINTS_OK_SQL, {"ids": endpoint_pks}, what="clearing a streak"))
            return
        groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        for claim, outcome in delivered:
            groups[(claim.attempt, outcome.status_code)].append(claim.delivery_pk)
        for (attempt, status_code), ids in sorted(groups.items(), key=lambda group: group[0][0]):
            session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id.in_(sorted(ids)),
                    WebhookDelivery.status == "pending",
                    WebhookDelivery.attempts == attempt,
                )
                .values(
                    status="delivered",
                    delivered_at=now,
                    next_attempt_at=None,
                    last_status_code=status_code,
                    last_error=None,
                )
                .execution_options(synchronize_session=False)
            )
        session.execute(
            update(WebhookEndpoint)
            .where(
                WebhookEndpoint.id.in_(sorted({claim.endpoint_pk for claim, _ in delivered})),
                WebhookEndpoint.failing_since.is_not(None),
            )
            .values(failing_since=None)
            .execution_options(synchronize_session=False)
        )

    def _hold(self, session: Session, held: list[tuple[Claim, Claim]]) -> None:
        """Give the held claims their attempt back, due when their endpoint's failed first one is."""
        by_first: dict[int, list[Claim]] = defaultdict(list)
        for claim, first in held:
            by_first[first.delivery_pk].append(claim)
        if not by_first:
            return
        session.flush()  # the first ones' retries, just recorded
        retries = {
            row.id: row.next_attempt_at
            for row in session.execute(
                select(WebhookDelivery.id, WebhookDelivery.next_attempt_at).where(
                    WebhookDelivery.id.in_(sorted(by_first))
                )
            )
        }
        for first_pk, claims in by_first.items():
            # a first one that ended: the next round probes
            _hand_back(session, claims, due=retries.get(first_pk) or clock.now())

    def _settle(
        self, session: Session, delivery: WebhookDelivery, endpoint: WebhookEndpoint, outcome: Outcome
    ) -> None:
        now = clock.now()
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.delivered:
            delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
            endpoint.failing_since = None
            return
        if outcome.status_code == 410:  # Gone: the receiver asks for no more
            delivery.status, delivery.next_attempt_at = "failed", None
            deliveries.disable(session, endpoint, "gone")
            return
        endpoint.failing_since = endpoint.failing_since or now
        if now - endpoint.failing_since >= timedelta(seconds=self.settings.webhooks_disable_after_seconds):
            delivery.status, delivery.next_attempt_at = "failed", None
            deliveries.disable(session, endpoint, "failing")
            return
        schedule = self.settings.webhooks_retry_schedule
        if delivery.attempts >= len(schedule):
            delivery.status, delivery.next_attempt_at = "failed", None
            return
        wait = max(schedule[delivery.attempts], outcome.retry_after or 0)
        delivery.next_attempt_at = now + timedelta(seconds=wait)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """What a round needs of an endpoint: read with the claim (PostgreSQL) or after it (SQLite)."""

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "partner_pk",
        "url",
        "secret_sealed",
        "previous_secret_sealed",
        "previous_secret_until",
        "failing_since",
    )

    id: int
    partner_pk: int
    url: str
    secret_sealed: str
    previous_secret_sealed: str | None
    previous_secret_until: datetime | None
    failing_since: datetime | None

    @classmethod
    def of(cls, source: Any) -> Endpoint:
        """From a ``WebhookEndpoint``, or from a claimed row carrying its ``endpoint_…`` columns."""
        if isinstance(source, WebhookEndpoint):
            return cls(source.id, *(getattr(source, name) for name in cls.COLUMNS))
        return cls(source.endpoint_pk, *(getattr(source, f"endpoint_{name}") for name in cls.COLUMNS))


_DELIVERED_SQL = (
    "UPDATE webhook_deliveries AS d SET status = 'delivered', delivered_at = %(now)s,"
    " next_attempt_at = NULL, last_status_code = r.code, last_error = NULL"
    " FROM unnest(%(ids)s::bigint[], %(attempts)s::int[], %(codes)s::int[]) AS r(id, attempt, code)"
    " WHERE d.id = r.id AND d.status = 'pending' AND d.attempts = r.attempt"
)
_ENDPOINTS_OK_SQL = (
    "UPDATE webhook_endpoints SET failing_since = NULL"
    " WHERE id = ANY(%(ids)s::bigint[]) AND failing_since IS NOT NULL"
)


def _cancel_unconcerned(session: Session, claims: list[Claim]) -> None:
    """Cancel, unsent, claimed deliveries no consent covers any more (rows still carrying the claim)."""
    for attempt in sorted({claim.attempt for claim in claims}):
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id.in_(sorted(c.delivery_pk for c in claims if c.attempt == attempt)),
                WebhookDelivery.status == "pending",
                WebhookDelivery.attempts == attempt,
            )
            .values(status="cancelled", next_attempt_at=None, last_error="no_consent")
            .execution_options(synchronize_session=False)
        )


def _hand_back(session: Session, claims: list[Claim], *, due: datetime) -> None:
    """Claims not sent get their attempt back (only rows still carrying it), due at ``due``."""
    for attempt in sorted({claim.attempt for claim in claims}):
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id.in_(sorted(c.delivery_pk for c in claims if c.attempt == attempt)),
                WebhookDelivery.status == "pending",
                WebhookDelivery.attempts == attempt,
            )
            .values(attempts=attempt - 1, next_attempt_at=due)
            .execution_options(synchronize_session=False)
        )
