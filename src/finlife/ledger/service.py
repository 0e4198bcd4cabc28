"""The ledger's public face: every other module moves and reads money through these functions."""

from finlife.ledger.book import bank_account, get_account, open_account, set_balance_cap
from finlife.ledger.holds import capture_hold, expire_overdue_holds, get_hold, place_hold, void_hold
from finlife.ledger.posting import lock_accounts, lock_prefetch, post, post_pair
from finlife.ledger.reports import (
    balance,
    entry_details,
    get_entry,
    reverse,
    statement,
    statement_line,
    trial_balance,
)
from finlife.ledger.timeline import movement_lines
from finlife.ledger.top_up import TopUpProvider, register_top_up_provider

__all__ = [
    "TopUpProvider",
    "balance",
    "bank_account",
    "capture_hold",
    "entry_details",
    "expire_overdue_holds",
    "get_account",
    "get_entry",
    "get_hold",
    "lock_accounts",
    "lock_prefetch",
    "movement_lines",
    "open_account",
    "place_hold",
    "post",
    "post_pair",
    "register_top_up_provider",
    "reverse",
    "set_balance_cap",
    "statement",
    "statement_line",
    "trial_balance",
    "void_hold",
]
