"""China's business days: working days by the State Council's yearly holiday notice.

The notice is published each winter for the next year; ``chinesecalendar`` carries every year
from 2004 to its release's last one. A day past the library's years falls back to Monday–Friday
(a newer release of the library brings the real notice), rather than stopping the bank.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_business_day(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def next_business_day(day: date) -> date:
    """The first business day after ``day`` (after a holiday, the first working day that follows)."""
    following = day + timedelta(days=1)
    while not is_business_day(following):
        following += timedelta(days=1)
    return following
