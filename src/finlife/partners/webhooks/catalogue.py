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
    # Set for events addressed to one partner (a loan's developer): the payload field naming it. Such
    # an event concerns that partner alone, under a consent of the customer granting ``scope``; no
    # account is checked (a loan is not a deposit account a consent names).
    partner_field: str | None = None


# A loan's life, told to the partner concerned (the developer of the property, or the partner that
# applied) under the customer's ``loans:apply`` consent (finlife.lending.events).
LOAN_EVENTS = (
    "loan.application_submitted",
    "loan.under_review",
    "loan.approved",
    "loan.rejected",
    "loan.withdrawn",
    "loan.signed",
    "loan.disbursed",
    "loan.activated",
    "loan.instalment_collected",
    "loan.payment_missed",
    "loan.prepaid",
    "loan.repriced",
    "loan.closed",
    "loan.written_off",
)


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
        *(EventType(name, "loans:apply", "", partner_field="partner_id") for name in LOAN_EVENTS),
    )
}

# What a partner may subscribe to: the catalogue, and the ping it may ask for at any time.
SUBSCRIBABLE = (*CATALOGUE, PING)
