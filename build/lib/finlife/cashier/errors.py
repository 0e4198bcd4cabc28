"""The conditions under which the cashier says no (codes and messages are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation


class UnknownVariation(RuleViolation):
    """Not a variation of this store's merchant (another merchant's is not revealed either)."""

    def __init__(self, index: int) -> None:
        super().__init__("unknown_variation", field=f"lines.{index}.variation_id")


class VariationArchived(RuleViolation):
    def __init__(self, index: int, name: str) -> None:
        super().__init__("variation_archived", params={"name": name}, field=f"lines.{index}.variation_id")


class TerminalNotInStore(RuleViolation):
    def __init__(self) -> None:
        super().__init__("terminal_not_in_store", field="terminal_id")


class OrderMismatch(RuleViolation):
    """A preview of an order's lines named another store or terminal than the order's."""

    def __init__(self, field: str) -> None:
        super().__init__("order_mismatch", field=field)


class OrderNotOpen(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__("order_not_open", params={"status": status})


class OrderNotPaid(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__("order_not_paid", params={"status": status})


class OrderHasPayments(Conflict):
    def __init__(self) -> None:
        super().__init__("order_has_payments")


class InvalidAmount(RuleViolation):
    def __init__(self) -> None:
        super().__init__("invalid_amount", field="amount")


class Overpayment(RuleViolation):
    def __init__(self, outstanding: int) -> None:
        super().__init__("overpayment", params={"outstanding": outstanding}, field="amount")


class RefundExceedsPaid(RuleViolation):
    def __init__(self, refundable: int) -> None:
        super().__init__("refund_exceeds_paid", params={"refundable": refundable}, field="amount")


class RefundExceedsQuantity(RuleViolation):
    """More pieces of a variation given back than the order sold and has not yet returned."""

    def __init__(self, variation_id: str) -> None:
        super().__init__("refund_exceeds_quantity", params={"variation_id": variation_id}, field="lines")


class ShiftAlreadyOpen(Conflict):
    def __init__(self) -> None:
        super().__init__("shift_already_open", field="terminal_id")


class ShiftNotOpen(Conflict):
    def __init__(self) -> None:
        super().__init__("shift_not_open")


class NotEnoughCash(RuleViolation):
    """Paying out more than the drawer holds."""

    def __init__(self, available: int) -> None:
        super().__init__("not_enough_cash", params={"available": available}, field="amount")


class PaymentAlreadyApplied(Conflict):
    """The payment id was already counted, towards another order or for another amount."""

    def __init__(self) -> None:
        super().__init__("payment_already_applied", field="payment_id")
