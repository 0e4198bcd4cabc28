"""Business days at the edge of chinesecalendar's data: the library's year, the weekends-only rule
past it (warned once a year), and an operator's notice file that gives the real holidays."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from finlife.wealth import calendar
from finlife.wealth.calendar import HolidayNotice, is_business_day, next_business_day, read_notice

LAST = calendar.LIBRARY_YEARS[1]
BEYOND = LAST + 1


@pytest.fixture(autouse=True)
def no_notice() -> Iterator[None]:
    calendar.use_notice(HolidayNotice())
    yield
    calendar.use_notice(None)


def test_the_librarys_last_year_has_its_holidays() -> None:
    assert (LAST, BEYOND) == (2026, 2027)  # chinesecalendar 1.11.0 is the newest release and stops in 2026
    assert not is_business_day(date(2026, 10, 1))  # National Day
    assert is_business_day(date(2026, 10, 10))  # a Saturday worked in lieu
    assert is_business_day(date(2026, 12, 31))


def test_past_the_library_weekdays_are_business_days_and_the_year_is_warned_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="finlife.wealth.calendar"):
        assert is_business_day(date(2027, 1, 1))  # a Friday: no notice, so weekends only
        assert not is_business_day(date(2027, 1, 2))
        assert next_business_day(date(2026, 12, 31)) == date(2027, 1, 1)
        assert next_business_day(date(2027, 1, 1)) == date(2027, 1, 4)
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "no holiday notice covers 2027" in warnings[0]


def test_a_notice_file_gives_the_years_holidays_and_working_weekends(tmp_path: Path) -> None:
    notice = tmp_path / "notice-2027.csv"
    notice.write_text("2027-01-01,holiday\n\n2027-02-06,holiday\n2027-02-20,workday\n", encoding="utf-8")
    calendar.use_notice(read_notice(notice))
    assert not is_business_day(date(2027, 1, 1))
    assert next_business_day(date(2026, 12, 31)) == date(2027, 1, 4)
    assert is_business_day(date(2027, 2, 20))  # a Saturday in the notice
    assert not is_business_day(date(2027, 2, 21))
    assert is_business_day(date(2027, 2, 22))


def test_a_malformed_notice_line_is_refused_by_its_number(tmp_path: Path) -> None:
    notice = tmp_path / "notice.csv"
    notice.write_text("2027-01-01,holiday\n2027-13-01,holiday\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"notice\.csv:2"):
        read_notice(notice)
    notice.write_text("2027-01-01,festival\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"notice\.csv:1"):
        read_notice(notice)


def test_the_setting_names_the_notice_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from finlife.settings import get_settings

    notice = tmp_path / "notice.csv"
    notice.write_text("2027-01-01,holiday\n", encoding="utf-8")
    monkeypatch.setenv("FINLIFE_HOLIDAY_NOTICE_FILE", str(notice))
    get_settings.cache_clear()
    try:
        calendar.use_notice(None)  # read the setting's file when next needed
        assert not is_business_day(date(2027, 1, 1))
    finally:
        get_settings.cache_clear()
