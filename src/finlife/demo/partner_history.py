"""The demo partners' past: their call log over the weeks before now, and their webhook deliveries.

Calls go through the registry's own recorder (what the middleware hands each answered call to), at the
moment they were made. Deliveries are queued through the webhooks' queue at the event's moment; the
outcome of their attempts is then written as the delivery worker writes it (no receiver listened in
the past): most delivered at the first attempt, one delivered on the third, one failing and due again.
Both are drawn in full before anything is written, so a partner whose history exists already is
skipped with the same draws (see world: seeding again makes only what is missing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from finlife.demo.common import Person
from finlife.kit.auth import PartnerGrant
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.ids import new_id
from finlife.kit.middleware import PartnerCall as AnsweredCall
from finlife.partners.registry import calls as call_log
from finlife.partners.registry.models import PartnerCall
from finlife.partners.registry.service import load_partner
from finlife.partners.webhooks import deliveries
from finlife.partners.webhooks.models import WebhookDelivery
from finlife.settings import Settings


@dataclass(frozen=True)
class Grant:
    """A customer's consent to the partner, and the time it was in force (authorised, until it was
    revoked or ran out): the partner calls under it, and hears of its customer's events, only then."""

    consent_id: str
    person: Person
    valid_from: datetime
    valid_to: datetime

    def in_force(self, at: datetime) -> bool:
        return self.valid_from <= at < self.valid_to


# A partner's own calls with its client-credentials token, then a customer's under their consent.
OWN_CALLS = (("GET", "/v1/partner/calls"), ("GET", "/v1/partner/webhooks"))
CUSTOMER_CALLS = (
    ("GET", "/v1/customers/{customer_id}/accounts"),
    ("GET", "/v1/accounts/{account_id}"),
    ("GET", "/v1/accounts/{account_id}/transactions"),
)
# Mostly answered; now and then a token that ran out or an account outside the consent.
STATUSES = (200,) * 30 + (401, 403, 404)


def _latency(rng: random.Random) -> int:
    """Milliseconds: most calls quick, a long tail (a log-normal around 40 ms)."""
    return max(3, min(2_000, round(rng.lognormvariate(3.7, 0.6))))


def _draw_calls(
    rng: random.Random, granted: list[Grant], start: datetime, today: datetime
) -> list[tuple[Grant | None, str, str, int, int, datetime]]:
    drawn: list[tuple[Grant | None, str, str, int, int, datetime]] = []
    for day in range((today - start).days):
        for _ in range(rng.randrange(2, 9)):
            at = start + timedelta(days=day, minutes=rng.randrange(8 * 60, 22 * 60))
            in_force = [grant for grant in granted if grant.in_force(at)]
            grant = rng.choice(in_force) if in_force and rng.random() < 0.8 else None
            method, route = rng.choice(CUSTOMER_CALLS if grant else OWN_CALLS)
            drawn.append((grant, method, route, rng.choice(STATUSES), _latency(rng), at))
    return sorted(drawn, key=lambda call: call[-1])


def record_calls(
    database: Database,
    settings: Settings,
    rng: random.Random,
    partner_id: str,
    granted: list[Grant],
    start: datetime,
    today: datetime,
) -> int:
    """Weeks of the partner's calls, each recorded at its moment (counted, not made again, if its log
    has rows already)."""
    drawn = _draw_calls(rng, granted, start, today)
    with database.unit_of_work() as session:
        partner = load_partner(session, partner_id)
        client_id, partner_pk = partner.client_id, partner.id
        logged = session.execute(select(func.count()).where(PartnerCall.partner_pk == partner_pk)).scalar()
    if logged:
        return int(logged)  # recorded before an interruption
    record = call_log.recorder(database, settings)
    for consent, method, route, status, latency, at in drawn:
        consent_id = consent.consent_id if consent else None
        grant = PartnerGrant(
            partner_id=partner_id, client_id=client_id, scopes=frozenset(), consent_id=consent_id
        )
        path = route
        if consent is not None:
            person = consent.person
            path = route.replace("{customer_id}", person.customer_id).replace("{account_id}", person.class_i)
        clock.freeze(at)
        record(AnsweredCall(grant, method, route, path, status, latency, at))
    return len(drawn)


def record_deliveries(
    database: Database,
    rng: random.Random,
    endpoint_pk: int,
    granted: list[Grant],
    today: datetime,
) -> int:
    """Deliveries of the consenting customers' payments and transfers over the last days (counted,
    not made again, if the endpoint has some already)."""
    events = []
    for grant in granted:
        for _ in range(rng.randrange(2, 5)):
            at = today - timedelta(days=rng.randrange(1, 6), minutes=rng.randrange(0, 600))
            kind = rng.choice(["account.payment", "transfer.completed"])
            amount = rng.randrange(1_000, 80_000, 100)
            if grant.in_force(at):  # the partner hears of its customer's events while the consent lasts
                events.append((at, kind, grant.person, amount))
    events.sort(key=lambda event: event[0])
    with database.unit_of_work() as session:
        queued = session.execute(
            select(func.count(WebhookDelivery.id)).where(WebhookDelivery.endpoint_pk == endpoint_pk)
        ).scalar_one()
        if queued:
            return int(queued)
        for number, (at, kind, person, amount) in enumerate(events):
            clock.freeze(at)
            event_id = new_id("evt")
            account = "from_account_id" if kind == "transfer.completed" else "account_id"
            data = {
                "customer_id": person.customer_id,
                account: person.class_i,
                "amount": amount,
                "currency": "CNY",
            }
            deliveries.queue(
                session, endpoint_pk, event_id=event_id, event_type=kind, created_at=at, data=data
            )
            row = session.execute(
                select(WebhookDelivery).where(
                    WebhookDelivery.endpoint_pk == endpoint_pk, WebhookDelivery.event_id == event_id
                )
            ).scalar_one()
            _attempted(row, at, retried=number == 0, failing=number == len(events) - 1)
    return len(events)


def _attempted(row: WebhookDelivery, at: datetime, *, retried: bool, failing: bool) -> None:
    """What the worker wrote after the attempts: the receiver answered at once (delivered), or after a
    503 and a timeout (delivered at the third attempt, 5 min 5 s later), or is failing now (two 503s,
    the third attempt due)."""
    if failing:
        row.attempts, row.status, row.last_status_code = 2, "pending", 503
        row.last_error = "HTTP 503"
        row.last_attempt_at = at + timedelta(seconds=5)
        row.next_attempt_at = at + timedelta(seconds=305)
        return
    attempts, after = (3, timedelta(seconds=305)) if retried else (1, timedelta(seconds=0))
    row.attempts, row.status, row.last_status_code = attempts, "delivered", 200
    row.last_attempt_at = row.delivered_at = at + after
    row.next_attempt_at = None
