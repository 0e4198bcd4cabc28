"""China's business days: working days by the State Council's yearly holiday notice.

The notice is published each winter for the next year. The rule, in this order:
1. A day in a year ``chinesecalendar`` carries (2004 to its release's last year, ``LIBRARY_YEARS``)
   is a business day when the library says it is a working day (its holidays and working weekends).
2. A day in a later (or earlier) year that the operator's notice file names
   (``FINLIFE_HOLIDAY_NOTICE_FILE``, ``YYYY-MM-DD,holiday|workday`` a line) is what the file says;
   other days of a year the file covers are business days Monday to Friday.
3. Any other day is a business day Monday to Friday (weekends only: holidays are not guessed, since
   the notice moves working days around them). The first such day of each year logs a warning, so
   that an operator knows to install a newer ``chinesecalendar`` or publish the year's notice.

The library is asked only for the years it carries, so its refusal of a year it does not carry never
stands in for the rule.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
from chinese_calendar import constants

from finlife.settings import get_settings

log = logging.getLogger(__name__)

LIBRARY_YEARS = (min(constants.holidays).year, max(constants.holidays).year)


@dataclass(frozen=True)
class HolidayNotice:
    """Days of years past the library's data, as the State Council's notice gives them."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # weekends worked in lieu
    years: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "years", frozenset(d.year for d in self.holidays | self.workdays))


def read_notice(path: Path) -> HolidayNotice:
    """The notice file; a line that is not ``YYYY-MM-DD,holiday|workday`` is refused by line number."""
    holidays: set[date] = set()
    workdays: set[date] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            if not row or not "".join(row).strip():
                continue
            try:
                day, kind = date.fromisoformat(row[0].strip()), row[1].strip()
            except (ValueError, IndexError):
                raise ValueError(f"{path}:{number}: expected YYYY-MM-DD,holiday|workday") from None
            if kind not in ("holiday", "workday"):
                raise ValueError(f"{path}:{number}: expected YYYY-MM-DD,holiday|workday")
            (holidays if kind == "holiday" else workdays).add(day)
    return HolidayNotice(frozenset(holidays), frozenset(workdays))


_notice: HolidayNotice | None = None
_warned: set[int] = set()


def use_notice(notice: HolidayNotice | None) -> None:
    """Use this notice from now on (None: read the setting's file again when next needed)."""
    global _notice
    _notice = notice
    _warned.clear()


def _current_notice() -> HolidayNotice:
    global _notice
    if _notice is None:
        path = get_settings().holiday_notice_file
        _notice = read_notice(path) if path is not None else HolidayNotice()
    return _notice


def is_business_day(day: date) -> bool:
    first, last = LIBRARY_YEARS
    if first <= day.year <= last:
        return bool(chinese_calendar.is_workday(day))
    notice = _current_notice()
    if day in notice.holidays:
        return False
    if day in notice.workdays:
        return True
    if day.year not in notice.years and day.year not in _warned:
        _warned.add(day.year)
        log.warning(
            "chinesecalendar has China's holidays for %d-%d only and no holiday notice covers %d: "
            "its business days are Monday to Friday until a newer chinesecalendar is installed or "
            "FINLIFE_HOLIDAY_NOTICE_FILE gives the State Council's notice",
            first,
            last,
            day.year,
        )
    return day.weekday() < 5


def next_business_day(day: date) -> date:
    """The first business day after ``day`` (after a holiday, the first working day that follows)."""
    following = day + timedelta(days=1)
    while not is_business_day(following):
        following += timedelta(days=1)
    return following
