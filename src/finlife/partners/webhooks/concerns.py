"""Which events a partner may hear of: the rule every delivery passes, at fan-out and again at sending.

An event concerns a partner when
- its type is in the catalogue (``catalogue.CATALOGUE``), and
- the partner is active, and
- one of the partner's consents is ``authorised`` and not yet expired, was given by the customer the
  event is about (``payload["customer_id"]``), names the event's account (the catalogue entry's
  ``account_field``) among its ``account_ids``, and grants the entry's scope.

An event addressed to one partner (a loan's, ``partner_field``) concerns only the partner it names,
under an authorised, unexpired consent of the event's customer granting the entry's scope.

So a partner never hears of another customer, of an account outside its consents, or of an event a
consent's permissions do not cover; a revoked or expired consent stops the deliveries not yet sent.
The ping (``webhook.ping``) is never an outbox event: it is made for one endpoint on its partner's
request. Accounts a partner opens for its users are covered by the consent made with them.

``ConsentsInForce`` reads the consents in force of many customers in one query and answers the rule
for each event in memory: the fan-out and the worker ask it for a whole batch at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.pipeline import array_literal, fetch_together, is_postgresql
from finlife.partners.models import Consent, Partner
from finlife.partners.webhooks.catalogue import CATALOGUE

Grant = tuple[frozenset[str], frozenset[str]]  # a consent's accounts and scopes


def customer_of(event_type: str, payload: dict[str, Any]) -> str | None:
    """The customer a catalogue event is about, or None when the event can concern no partner."""
    entry = CATALOGUE.get(event_type)
    if entry is None:
        return None
    customer_id = payload.get("customer_id")
    if not isinstance(customer_id, str):
        return None
    if entry.partner_field is None and not isinstance(payload.get(entry.account_field), str):
        return None
    return customer_id


# ``ConsentsInForce.load``'s query in PostgreSQL's own words, for a caller sending it in a pipeline
# (``kit.pipeline.fetch_together``); parameters ``customers`` and ``partners`` (array literals), ``now``.
_OF_CUSTOMERS_SQL = (
    "SELECT c.partner_pk, c.customer_id, c.account_ids, c.scopes, p.public_id"
    " FROM consents AS c JOIN partners AS p ON p.id = c.partner_pk"
    " WHERE c.customer_id = ANY(%(customers)s::text[]) AND c.status = 'authorised'"
    " AND c.expires_at > %(now)s AND p.status = 'active'"
)
CONSENTS_IN_FORCE_SQL = _OF_CUSTOMERS_SQL + " AND c.partner_pk = ANY(%(partners)s::bigint[])"


@dataclass
class ConsentsInForce:
    """The authorised, unexpired consents of active partners, by customer and partner."""

    grants: dict[str, dict[int, list[Grant]]] = field(default_factory=lambda: defaultdict(dict))
    public_ids: dict[int, str] = field(default_factory=dict)  # partner pk → its public id

    @classmethod
    def load(
        cls, session: Session, customer_ids: Iterable[str], partner_pks: Iterable[int] | None = None
    ) -> ConsentsInForce:
        found = cls()
        customers = sorted(set(customer_ids))
        if not customers:
            return found
        if partner_pks is None and is_postgresql(session):
            # The fan-out's query for every batch of events: one text whatever the number of customers
            # (an IN list of a hundred was built, keyed and parsed anew each time: a few per cent of
            # the workers' CPU under bench/transfers_wrk.py).
            params = {"customers": array_literal(customers), "now": clock.now()}
            (rows,) = fetch_together(session, (_OF_CUSTOMERS_SQL, params))
            return cls.from_rows(rows)
        stmt = (
            select(
                Consent.partner_pk,
                Consent.customer_id,
                Consent.account_ids,
                Consent.scopes,
                Partner.public_id,
            )
            .join(Partner, Partner.id == Consent.partner_pk)
            .where(
                Consent.customer_id.in_(customers),
                Consent.status == "authorised",
                Consent.expires_at > clock.now(),
                Partner.status == "active",
            )
        )
        if partner_pks is not None:
            stmt = stmt.where(Consent.partner_pk.in_(sorted(set(partner_pks))))
        return cls.from_rows(session.execute(stmt))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str | None, list[str], list[str], str]]) -> ConsentsInForce:
        """From the rows of ``load``'s query or of ``CONSENTS_IN_FORCE_SQL``: (partner pk, customer,
        accounts, scopes, the partner's public id)."""
        found = cls()
        for partner_pk, customer_id, accounts, scopes, public_id in rows:
            assert customer_id is not None  # the query asked for these customers
            found.public_ids[partner_pk] = public_id
            found.grants[customer_id].setdefault(partner_pk, []).append(
                (frozenset(accounts), frozenset(scopes))
            )
        return found

    def partners_of(self, customer_id: str) -> list[int]:
        return sorted(self.grants.get(customer_id, {}))

    def concerns(self, partner_pk: int, event_type: str, payload: dict[str, Any]) -> bool:
        customer_id = customer_of(event_type, payload)
        if customer_id is None:
            return False
        entry = CATALOGUE[event_type]
        grants = self.grants.get(customer_id, {}).get(partner_pk, [])
        if entry.partner_field is not None:  # addressed to the one partner it names
            named = payload.get(entry.partner_field) == self.public_ids.get(partner_pk)
            return named and any(entry.scope in scopes for _, scopes in grants)
        account_id = payload[entry.account_field]
        return any(account_id in accounts and entry.scope in scopes for accounts, scopes in grants)


def concerns(session: Session, partner_pk: int, event_type: str, payload: dict[str, Any]) -> bool:
    customer_id = customer_of(event_type, payload)
    if customer_id is None:
        return False
    consents = ConsentsInForce.load(session, [customer_id], [partner_pk])
    return consents.concerns(partner_pk, event_type, payload)
