"""The one clock every rule reads, so tests can move time (holds expiring, lockouts, new days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    def __init__(self) -> None:
        self._offset = timedelta()
        self._frozen: datetime | None = None
        self.business_zone = ZoneInfo("Asia/Shanghai")

    def now(self) -> datetime:
        """Current UTC time (aware)."""
        return (self._frozen or datetime.now(UTC)) + self._offset

    def business_day(self, at: datetime | None = None) -> date:
        """The calendar day in the bank's business time zone (Asia/Shanghai by default)."""
        return (at or self.now()).astimezone(self.business_zone).date()

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def freeze(self, at: datetime) -> None:
        self._frozen = at
        self._offset = timedelta()

    def reset(self) -> None:
        self._offset = timedelta()
        self._frozen = None


clock = Clock()
