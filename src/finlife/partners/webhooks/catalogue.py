"""The outbox event types a partner may subscribe to, and what each needs of a consent.

Only events about one customer's deposit account are offered: the account a consent can name is what
decides whether a partner may hear of the event (``concerns``). Each entry names the consent scope
the event falls under and the payload field holding that account.
"""

from __future__ import annotations

from dataclasses import dataclass

PING = "webhook.ping"  # the test event a partner asks for; never read from the outbox


@dataclass(frozen=True)
class EventType:
    name: str
    scope: str  # the consent must grant this scope
    account_field: str  # the payload field naming the customer's account the event is about


CATALOGUE: dict[str, EventType] = {
    entry.name: entry
    for entry in (
        EventType("account.opened", "accounts:read", "account_id"),
        EventType("card.issued", "accounts:read", "account_id"),
        EventType("account.cash_deposit", "transactions:read", "account_id"),
        EventType("account.cash_withdrawal", "transactions:read", "account_id"),
        EventType("account.payment", "transactions:read", "account_id"),
        EventType("account.refund", "transactions:read", "account_id"),
        # The payer's event (its customer_id is the payer's): the payee's partner does not get it.
        EventType("transfer.completed", "transactions:read", "from_account_id"),
    )
}

# What a partner may subscribe to: the catalogue, and the ping it may ask for at any time.
SUBSCRIBABLE = (*CATALOGUE, PING)
