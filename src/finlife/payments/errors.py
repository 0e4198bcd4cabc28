"""The conditions under which the payments service says no (codes and messages are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, FinlifeError, Forbidden, RuleViolation
from finlife.kit.i18n import format_money


class TenderedTooLittle(RuleViolation):
    def __init__(self) -> None:
        super().__init__("tendered_too_little", field="tendered")


class NoOpenShift(Conflict):
    """Cash moves only through the drawer of an open shift on the order's terminal."""

    def __init__(self) -> None:
        super().__init__("no_open_shift")


class PinRequired(RuleViolation):
    def __init__(self) -> None:
        super().__init__("pin_required", field="pin")


class CardDeclined(FinlifeError):
    """A card authorisation answered with an ISO 8583 response code other than 00 (402).

    Returned, not raised, by the card service: the wrong-PIN count it recorded must be committed.
    """

    code = "card_declined"
    status = 402

    def __init__(self, response_code: str, reason: str, payment_id: str) -> None:
        super().__init__(
            params={"response_code": response_code, "reason": reason},
            extra={"response_code": response_code, "reason": reason, "payment_id": payment_id},
        )
        self.response_code = response_code
        self.reason = reason
        self.payment_id = payment_id


class PaymentCodeExpired(RuleViolation):
    """Unknown, used or expired: the three are one answer, so a guessed code learns nothing."""

    def __init__(self) -> None:
        super().__init__("payment_code_expired", field="code")


class QrLimitExceeded(RuleViolation):
    def __init__(self, kind: str, remaining: int, currency: str) -> None:
        super().__init__(
            "qr_limit_exceeded",
            params={"kind": kind, "remaining": format_money(remaining, currency)},
            extra={"qr_kind": kind, "remaining": remaining},
        )


class QrCodeUsed(Conflict):
    def __init__(self) -> None:
        super().__init__("qr_code_used")


class AmountRequired(RuleViolation):
    """A static code carries no amount: the customer types it in."""

    def __init__(self) -> None:
        super().__init__("amount_required", field="amount")


class AmountMismatch(RuleViolation):
    """A dynamic code carries its amount; a different one typed in is refused."""

    def __init__(self) -> None:
        super().__init__("qr_amount_mismatch", field="amount")


class NothingOutstanding(Conflict):
    def __init__(self) -> None:
        super().__init__("nothing_outstanding")


class OffUsRefundUnsupported(RuleViolation):
    """Another bank's card was paid through its issuer; finlife holds no account to give it back to
    and does not send card refunds over ISO 8583, so the refund is refused before anything moves."""

    def __init__(self, payment_id: str) -> None:
        super().__init__("off_us_refund_unsupported", field="amount", params={"payment_id": payment_id})


class RefundNeedsApproval(Forbidden):
    """A cashier's refund above the threshold: the owner approves it (a refund request) or makes it."""

    code = "refund_needs_approval"

    def __init__(self, threshold: int) -> None:
        super().__init__(params={"threshold": format_money(threshold, "CNY")}, extra={"threshold": threshold})
