"""The wealth module's refusals, each with its own code and words (``messages``)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, RuleViolation
from finlife.kit.i18n import format_money


class FundCodeTaken(Conflict):
    code = "fund_code_taken"

    def __init__(self, code: str) -> None:
        super().__init__(params={"code": code}, field="code")


class YieldAlreadyPublished(Conflict):
    code = "fund_yield_already_published"

    def __init__(self, day: str) -> None:
        super().__init__(params={"date": day}, field="date")


class NotBusinessDay(RuleViolation):
    code = "fund_not_business_day"

    def __init__(self, day: str) -> None:
        super().__init__(params={"date": day}, field="date")


class FastRedemptionLimitExceeded(RuleViolation):
    """The 2018 CSRC/PBoC rule: T+0 redemptions of at most 10,000.00 CNY per investor, fund and day."""

    code = "fast_redemption_limit_exceeded"

    def __init__(self, limit: int, remaining: int, currency: str) -> None:
        super().__init__(
            params={"limit": format_money(limit, currency), "remaining": format_money(remaining, currency)},
            field="amount",
            extra={"limit": limit, "remaining": remaining},
        )


class UnitsInsufficient(RuleViolation):
    code = "fund_units_insufficient"

    def __init__(self, held: int, currency: str) -> None:
        super().__init__(params={"held": format_money(held, currency)}, field="amount", extra={"held": held})


class FundCurrencyMismatch(RuleViolation):
    code = "fund_currency_mismatch"

    def __init__(self, currency: str) -> None:
        super().__init__(params={"currency": currency}, field="account_id")
