"""The conditions under which the accounts service says no (codes and words are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation
from finlife.kit.i18n import format_money


class ClassIExists(Conflict):
    def __init__(self) -> None:
        super().__init__("class_i_exists")


class AccountClassQuota(RuleViolation):
    def __init__(self, account_class: str, limit: int) -> None:
        super().__init__("account_class_quota", params={"account_class": account_class, "limit": limit})


class KycLevelInsufficient(RuleViolation):
    def __init__(self, required: str) -> None:
        super().__init__("kyc_level_insufficient", params={"required": required})


class BoundAccountRequired(RuleViolation):
    def __init__(self) -> None:
        super().__init__("bound_account_required", field="bound_account")


class BoundAccountInvalid(RuleViolation):
    def __init__(self) -> None:
        super().__init__("bound_account_invalid", field="bound_account")


class BoundAccountNotVerified(RuleViolation):
    """The other bank did not confirm the bound account belongs to the same person."""

    def __init__(self) -> None:
        super().__init__("bound_account_not_verified", field="bound_account")


class AccountNotActive(RuleViolation):
    def __init__(self) -> None:
        super().__init__("account_not_active")


class CashNotAllowed(RuleViolation):
    def __init__(self) -> None:
        super().__init__("cash_not_allowed")


class TransferInNotAllowed(RuleViolation):
    """A Class II account of a customer never seen face to face takes money only from its bound account."""

    def __init__(self) -> None:
        super().__init__("transfer_in_not_allowed", field="to_account_id")


class LimitExceeded(RuleViolation):
    """``limit_name`` is stable ("II.out.daily": class, direction, period); the catalogue words it."""

    def __init__(self, limit_name: str, *, limit: int, remaining: int, currency: str) -> None:
        super().__init__(
            "limit_exceeded",
            params={
                "limit_name": limit_name,
                "limit": format_money(limit, currency),
                "remaining": format_money(remaining, currency),
            },
            extra={"limit_name": limit_name, "limit": limit, "remaining": remaining},
        )


class SameAccount(RuleViolation):
    def __init__(self) -> None:
        super().__init__("same_account", field="to_account_id")


class CurrencyMismatch(RuleViolation):
    def __init__(self, expected: str) -> None:
        super().__init__("currency_mismatch", params={"expected": expected}, field="currency")


class InvalidPin(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_pin", field="pin")


class UnsupportedCurrency(RuleViolation):
    def __init__(self, currency: str) -> None:
        super().__init__("unsupported_currency", params={"currency": currency}, field="currency")
