"""The refusals of credit from takings, each with its own code and words (``messages``)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation
from finlife.kit.i18n import format_money


class NoOffer(RuleViolation):
    """There is no offer to accept today; ``reason`` is the rule's (the page shows its words)."""

    code = "takings_credit_no_offer"

    def __init__(self, reason: str) -> None:
        super().__init__(params={"reason": reason}, extra={"reason": reason})


class AmountOutOfRange(RuleViolation):
    code = "takings_credit_amount_out_of_range"

    def __init__(self, low: int, high: int, currency: str) -> None:
        super().__init__(
            params={"min": format_money(low, currency), "max": format_money(high, currency)},
            field="amount",
            extra={"min": low, "max": high},
        )


class AlreadyAccepted(Conflict):
    code = "takings_credit_already_accepted"
