"""Business days: their UTC bounds, and which days may be settled yet.

``--date D`` names the business day (Asia/Shanghai) whose takings are settled. With the T+1 lag
(``settings.settlement_lag_days`` = 1) the latest day that may be settled is yesterday, and that is
the default. A few minutes' grace after midnight let the tenders of the day's last second commit
before the day is read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from finlife.kit.clock import clock
from finlife.settings import Settings
from finlife.settlement.errors import SettlementDayOpen

GRACE = timedelta(minutes=5)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a business day in UTC."""
    start = datetime.combine(day, time(0), tzinfo=clock.business_zone).astimezone(UTC)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=clock.business_zone).astimezone(
        UTC
    )


def latest_settleable(settings: Settings) -> date:
    """The latest business day that may be settled now: today − lag, once the grace has passed."""
    return clock.business_day(clock.now() - GRACE) - timedelta(days=settings.settlement_lag_days)


def settleable(settings: Settings, day: date | None) -> date:
    """``day`` (default: the latest settleable one), refused while it is too recent (422)."""
    latest = latest_settleable(settings)
    if day is None:
        return latest
    if day > latest:
        raise SettlementDayOpen(latest)
    return day
