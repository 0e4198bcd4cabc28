"""The accounts module's public face: pages, the API and other modules call these functions."""

from finlife.accounts.card_freeze import (
    CardStateConflict,
    card_holder,
    customers_with_card_last4,
    freeze_card,
    unfreeze_card,
)
from finlife.accounts.cards import (
    cards_of_customer,
    find_card_by_pan,
    holder_of_number,
    issue_card,
    list_cards,
    verify_card_expiry,
    verify_card_pin,
)
from finlife.accounts.external import (
    Credited,
    Reserved,
    account_holder,
    account_id_by_number,
    account_number,
    credit_from_other_bank,
    register_binding_verifier,
    register_other_bank_sender,
    reserve_for_other_bank,
    send_to_other_bank,
)
from finlife.accounts.facts import AccountFacts, account_facts, accounts_facts
from finlife.accounts.holds import capture_hold, get_hold, place_hold, void_hold
from finlife.accounts.movements import deposit_cash, lock_for_payments, transfer, withdraw_cash
from finlife.accounts.opening import open_account
from finlife.accounts.payments import pay, refund
from finlife.accounts.reading import accounts_of, get_account, list_customer_accounts, statement
from finlife.accounts.timeline import money_lines
from finlife.accounts.transfer_password import check_payment_password, needs_payment_password

__all__ = [
    "AccountFacts",
    "CardStateConflict",
    "Credited",
    "Reserved",
    "account_facts",
    "account_holder",
    "account_id_by_number",
    "account_number",
    "accounts_facts",
    "accounts_of",
    "capture_hold",
    "card_holder",
    "cards_of_customer",
    "check_payment_password",
    "credit_from_other_bank",
    "customers_with_card_last4",
    "deposit_cash",
    "find_card_by_pan",
    "freeze_card",
    "get_account",
    "get_hold",
    "holder_of_number",
    "issue_card",
    "list_cards",
    "list_customer_accounts",
    "lock_for_payments",
    "money_lines",
    "needs_payment_password",
    "open_account",
    "pay",
    "place_hold",
    "refund",
    "register_binding_verifier",
    "register_other_bank_sender",
    "reserve_for_other_bank",
    "send_to_other_bank",
    "statement",
    "transfer",
    "unfreeze_card",
    "verify_card_expiry",
    "verify_card_pin",
    "void_hold",
    "withdraw_cash",
]
