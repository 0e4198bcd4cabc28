"""The conditions under which settlement says no (codes and messages are in kit/i18n)."""

from __future__ import annotations

from datetime import date

from finlife.kit.errors import RuleViolation


class SettlementDayOpen(RuleViolation):
    """A day is settled only once it is over and the settlement lag (T+1) has passed."""

    def __init__(self, latest: date) -> None:
        super().__init__("settlement_day_open", field="date", params={"latest": latest.isoformat()})
