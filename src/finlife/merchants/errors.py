"""The conditions under which the merchants service says no (codes and words are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation


class InvalidCreditCode(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_credit_code", field="credit_code")


class InvalidMcc(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_mcc", field="mcc")


class SettlementAccountInvalid(RuleViolation):
    """Not an active Class I CNY account of the applicant's own customer record."""

    def __init__(self) -> None:
        super().__init__("settlement_account_invalid", field="settlement_account_id")


class OwnerUserRequired(RuleViolation):
    """Staff applying on a customer's behalf must name the customer's login."""

    def __init__(self) -> None:
        super().__init__("owner_user_required", field="owner_user_id")


class MerchantNotPending(Conflict):
    def __init__(self) -> None:
        super().__init__("merchant_not_pending")


class MerchantNotActive(Conflict):
    def __init__(self) -> None:
        super().__init__("merchant_not_active")


class InvalidCoordinates(RuleViolation):
    def __init__(self, field: str) -> None:
        super().__init__("invalid_coordinates", field=field)


class InvalidOpeningHours(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_opening_hours", field="opening_hours")


class InvalidStores(RuleViolation):
    """A cashier's stores must be stores of the same merchant."""

    def __init__(self) -> None:
        super().__init__("invalid_store_ids", field="store_ids")


class TerminalExists(Conflict):
    def __init__(self) -> None:
        super().__init__("terminal_exists", field="terminal_id")


class NotOnYourself(Conflict):
    """The owner cannot disable or reset their own sign-in here (they would lock themselves out)."""

    def __init__(self) -> None:
        super().__init__("staff_is_you", field="staff_id")
