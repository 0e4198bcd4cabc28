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
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.partners.models import Consent, Partner
from finlife.partners.webhooks.catalogue import CATALOGUE


def concerns(session: Session, partner_pk: int, event_type: str, payload: dict[str, Any]) -> bool:
    entry = CATALOGUE.get(event_type)
    if entry is None:
        return False
    customer_id = payload.get("customer_id")
    account_id = payload.get(entry.account_field) if entry.partner_field is None else None
    if not isinstance(customer_id, str) or (entry.partner_field is None and not isinstance(account_id, str)):
        return False
    partner = session.get(Partner, partner_pk)
    if partner is None or partner.status != "active":
        return False
    if entry.partner_field is not None and payload.get(entry.partner_field) != partner.public_id:
        return False
    consents = session.execute(
        select(Consent.account_ids, Consent.scopes).where(
            Consent.partner_pk == partner_pk,
            Consent.customer_id == customer_id,
            Consent.status == "authorised",
            Consent.expires_at > clock.now(),
        )
    )
    return any(
        (entry.partner_field is not None or account_id in accounts) and entry.scope in scopes
        for accounts, scopes in consents
    )
