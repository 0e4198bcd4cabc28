"""The ledger's refusals; codes are stable and listed in the message catalogue."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation
from finlife.kit.i18n import format_money


class InsufficientFunds(RuleViolation):
    code = "insufficient_funds"


class BalanceCapExceeded(RuleViolation):
    code = "balance_cap_exceeded"

    def __init__(self, cap: int, currency: str) -> None:
        super().__init__(params={"cap": format_money(cap, currency)}, extra={"cap": cap})


class UnbalancedEntry(RuleViolation):
    code = "unbalanced_entry"


class CurrencyMismatch(RuleViolation):
    code = "currency_mismatch"

    def __init__(self, expected: str) -> None:
        super().__init__(params={"expected": expected})


class EntryAlreadyReversed(Conflict):
    code = "entry_already_reversed"


class HoldNotPending(Conflict):
    code = "hold_not_pending"

    def __init__(self, status: str) -> None:
        super().__init__(params={"status": status}, extra={"hold_status": status})


class CaptureExceedsHold(RuleViolation):
    code = "capture_exceeds_hold"


class InvalidAmount(RuleViolation):
    code = "invalid_amount"
