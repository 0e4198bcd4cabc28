"""The interbank module's public face: payments, accounts (through its hook), the API and the CLI."""

from finlife.interbank.service.bindings import verify_binding
from finlife.interbank.service.card import authorise as authorise_card
from finlife.interbank.service.card import cancel as cancel_card
from finlife.interbank.service.card import retry_pending_reversals
from finlife.interbank.service.card_first import IssuerAnswer, Pending, ask_issuer
from finlife.interbank.service.card_first import book_answer as book_card_answer
from finlife.interbank.service.card_first import give_up as give_up_card
from finlife.interbank.service.card_first import lock_query as card_lock_query
from finlife.interbank.service.card_first import open_authorisation as open_card_authorisation
from finlife.interbank.service.directory import add_bank, banks_query, get_bank, issuer_of, list_banks
from finlife.interbank.service.reconcile import (
    get_reconciliation,
    list_reconciliations,
    reconcile,
    reconciliation_csv,
    reconciliation_lease,
)
from finlife.interbank.service.transfers import (
    deliver,
    deliver_pending,
    get_transfer,
    receive_transfer,
    send_transfer,
)

__all__ = [
    "IssuerAnswer",
    "Pending",
    "add_bank",
    "ask_issuer",
    "authorise_card",
    "banks_query",
    "book_card_answer",
    "cancel_card",
    "card_lock_query",
    "deliver",
    "deliver_pending",
    "get_bank",
    "get_reconciliation",
    "get_transfer",
    "give_up_card",
    "issuer_of",
    "list_banks",
    "list_reconciliations",
    "open_card_authorisation",
    "receive_transfer",
    "reconcile",
    "reconciliation_csv",
    "reconciliation_lease",
    "retry_pending_reversals",
    "send_transfer",
    "verify_binding",
]
