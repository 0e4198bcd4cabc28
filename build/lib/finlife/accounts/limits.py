"""Class II/III amount limits per business day and per year (domain-rules.md).

Each movement adds its amount to counters keyed (account, bucket, period) with one atomic upsert
each (all of a movement's upserts in one round trip on PostgreSQL); a counter above its limit refuses
the movement, and the rollback takes the increments back.
Counters are touched in (account, bucket, period) order so that concurrent movements never
deadlock on them. Class I accounts have no limits and never touch the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.common import AccountRef
from finlife.accounts.errors import LimitExceeded
from finlife.accounts.models import LimitUsage
from finlife.accounts.schemas import AccountClass, BucketLimits, LimitsView, LimitView
from finlife.kit.clock import clock
from finlife.kit.db import increment_counters, table_of
from finlife.settings import Settings

IN, OUT = "in", "out"
_usage = table_of(LimitUsage)


@dataclass(frozen=True, slots=True)
class Charge:
    """``amount`` to count in ``bucket`` ("in" or "out") of ``account``."""

    account: AccountRef
    bucket: str
    amount: int


def class_limits(settings: Settings, account_class: AccountClass) -> dict[str, tuple[int, int]]:
    """bucket → (daily, yearly) limit in minor units."""
    if account_class is AccountClass.II:
        return {
            IN: (settings.class_ii_daily_in, settings.class_ii_yearly_in),
            OUT: (settings.class_ii_daily_out, settings.class_ii_yearly_out),
        }
    if account_class is AccountClass.III:
        return {OUT: (settings.class_iii_daily_out, settings.class_iii_yearly_out)}
    return {}


def periods(day: date) -> tuple[str, str]:
    """The day and year counters for a business day (Asia/Shanghai)."""
    return f"D{day.isoformat()}", f"Y{day.year}"


def count(session: Session, settings: Settings, charges: Sequence[Charge]) -> None:
    """Count the charges against their limits, or refuse the whole movement (422 limit_exceeded)."""
    limited = [c for c in charges if c.bucket in class_limits(settings, c.account.account_class)]
    if not limited:
        return
    day_period, year_period = periods(clock.business_day())
    checks = []  # (charge, limit, name) in the order the counters are incremented
    increments = []
    for charge in sorted(limited, key=lambda c: (c.account.pk, c.bucket)):
        daily, yearly = class_limits(settings, charge.account.account_class)[charge.bucket]
        for period, limit, name in ((day_period, daily, "daily"), (year_period, yearly, "yearly")):
            keys = {"account_pk": charge.account.pk, "bucket": charge.bucket, "period": period}
            increments.append((keys, charge.amount))
            checks.append((charge, limit, name))
    # All counters move at once (one round trip on PostgreSQL); a refusal rolls the movement's unit
    # of work (or the caller's savepoint) back, and every increment with it.
    totals = increment_counters(session, _usage, column="used", increments=increments)
    for (charge, limit, name), total in zip(checks, totals, strict=True):
        if total > limit:
            remaining = max(limit - (total - charge.amount), 0)
            raise LimitExceeded(
                f"{charge.account.account_class}.{charge.bucket}.{name}",
                limit=limit,
                remaining=remaining,
                currency=charge.account.currency,
            )


def lock_counters(session: Session, settings: Settings, accounts: Sequence[AccountRef]) -> None:
    """Lock every counter that movements of these accounts may touch today, in the order ``count``
    takes them (account, bucket, day then year): a group commit takes its locks before its requests.

    A counter that does not exist yet is created at zero, so that it can be locked.
    """
    day_period, year_period = periods(clock.business_day())
    increments = [
        ({"account_pk": account.pk, "bucket": bucket, "period": period}, 0)
        for account in sorted({a.pk: a for a in accounts}.values(), key=lambda a: a.pk)
        for bucket in sorted(class_limits(settings, account.account_class))
        for period in (day_period, year_period)
    ]
    if increments:
        increment_counters(session, _usage, column="used", increments=increments)


def limits_view(session: Session, settings: Settings, account: AccountRef) -> LimitsView:
    """Each limit with what is used and what remains today and this year (one query)."""
    rules = class_limits(settings, account.account_class)
    cap = settings.class_iii_balance_cap if account.account_class is AccountClass.III else None
    if not rules:
        return LimitsView(balance_cap=cap)
    day_period, year_period = periods(clock.business_day())
    used = {
        (row.bucket, row.period): row.used
        for row in session.execute(
            select(_usage.c.bucket, _usage.c.period, _usage.c.used).where(
                _usage.c.account_pk == account.pk, _usage.c.period.in_([day_period, year_period])
            )
        )
    }

    def view(bucket: str) -> BucketLimits | None:
        if bucket not in rules:
            return None
        daily, yearly = rules[bucket]
        day_used, year_used = used.get((bucket, day_period), 0), used.get((bucket, year_period), 0)
        return BucketLimits(
            daily=LimitView(limit=daily, used=day_used, remaining=max(daily - day_used, 0)),
            yearly=LimitView(limit=yearly, used=year_used, remaining=max(yearly - year_used, 0)),
        )

    return LimitsView(incoming=view(IN), outgoing=view(OUT), balance_cap=cap)
