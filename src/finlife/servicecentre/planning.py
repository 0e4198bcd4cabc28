"""Channel planning: what each channel carries and how well it serves, for deciding each channel's role.

- Activity per channel and hour of the day (Shanghai): active customers (distinct, any interaction),
  transactions (interactions that moved money: they name a ledger entry) and their amount in fen.
- Customers whose preferred channel changed: the channel of most interactions in the period against
  the previous period of the same length (a tie goes to the channel first in the alphabet).
- Service quality per channel from ``channel_request_hours``: requests, the error rate by problem code
  and the p95 latency, read off the latency buckets (the upper bound of the bucket the 95th percentile
  falls in; "over the last bound" when it is beyond them).
The per-segment channel mix needs segments: the insights module plugs it into the page.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.payees import mask_name
from finlife.customers import service as customers
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.csvfile import table_csv, yuan
from finlife.kit.i18n import translate
from finlife.kit.permissions import Capability, may, require
from finlife.servicecentre.errors import PeriodInvalid
from finlife.servicecentre.models import ChannelRequestHour
from finlife.servicecentre.planning_schemas import (
    ChannelHour,
    ChannelQuality,
    ChannelShift,
    CodeRate,
    PlanningOut,
)
from finlife.servicecentre.quality import LATENCY_BUCKETS_MS, OK

LONGEST_PERIOD = timedelta(days=92)
SHIFTS_LISTED = 200


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.business_zone)


def _preferred(counts: Counter[str]) -> str:
    return min(counts, key=lambda channel: (-counts[channel], channel))


def _quality(session: Session, start: datetime, end: datetime) -> list[ChannelQuality]:
    rows = session.execute(
        select(
            ChannelRequestHour.channel,
            ChannelRequestHour.metric,
            ChannelRequestHour.key,
            ChannelRequestHour.requests,
        ).where(ChannelRequestHour.hour >= start, ChannelRequestHour.hour < end)
    )
    outcomes: dict[str, Counter[str]] = defaultdict(Counter)
    latency: dict[str, Counter[str]] = defaultdict(Counter)
    for channel, metric, key, requests in rows:
        (outcomes if metric == "outcome" else latency)[channel][key] += requests
    out = []
    for channel in sorted(outcomes):
        total = sum(outcomes[channel].values())
        errors = {code: n for code, n in outcomes[channel].items() if code != OK}
        out.append(
            ChannelQuality(
                channel=channel,
                requests=total,
                errors=sum(errors.values()),
                error_rate=round(sum(errors.values()) / total, 4) if total else None,
                by_code=[
                    CodeRate(code=code, requests=n, rate=round(n / total, 4))
                    for code, n in sorted(errors.items(), key=lambda item: (-item[1], item[0]))
                ],
                p95_ms=p95(latency[channel]),
            )
        )
    return out


def p95(buckets: Counter[str]) -> int | None:
    """The upper bound of the bucket holding the 95th percentile; None when there is none or it lies
    beyond the last bound."""
    total = sum(buckets.values())
    if not total:
        return None
    needed, seen = 0.95 * total, 0
    for bound in LATENCY_BUCKETS_MS:
        seen += buckets.get(str(bound), 0)
        if seen >= needed:
            return bound
    return None


def channel_planning(
    session: Session, actor: Actor, *, start: date, end: date, listed: int | None = SHIFTS_LISTED
) -> PlanningOut:
    """The period's figures; ``listed`` customers whose preferred channel changed are named (None:
    all of them, for the export), by name, masked unless the reader may read customer records."""
    require(actor, Capability.CHANNEL_PLANNING)
    if end < start or end - start > LONGEST_PERIOD:
        raise PeriodInvalid()
    begins, ends = _start(start), _start(end + timedelta(days=1))
    before = begins - (ends - begins)
    customers_at: dict[tuple[str, int], set[str]] = defaultdict(set)
    transactions: Counter[tuple[str, int]] = Counter()
    amounts: Counter[tuple[str, int]] = Counter()
    active: dict[str, set[str]] = defaultdict(set)
    now_counts: dict[str, Counter[str]] = defaultdict(Counter)
    then_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for touch in customers.channel_touches(session, before, ends):
        if touch.at < begins:
            then_counts[touch.customer_id][touch.channel] += 1
            continue
        cell = (touch.channel, touch.at.astimezone(clock.business_zone).hour)
        customers_at[cell].add(touch.customer_id)
        active[touch.channel].add(touch.customer_id)
        now_counts[touch.customer_id][touch.channel] += 1
        if touch.amount is not None:
            transactions[cell] += 1
            amounts[cell] += touch.amount
    shifts = [
        (customer, _preferred(then_counts[customer]), _preferred(counts))
        for customer, counts in sorted(now_counts.items())
        if customer in then_counts and _preferred(then_counts[customer]) != _preferred(counts)
    ]
    shown = shifts[:listed] if listed is not None else shifts
    names = customers.names_of(session, [customer for customer, _, _ in shown])
    masked = not may(actor, Capability.CUSTOMER_RECORDS)
    return PlanningOut(
        period_from=start,
        period_to=end,
        active_customers={channel: len(ids) for channel, ids in sorted(active.items())},
        hours=[
            ChannelHour(
                channel=channel,
                hour=hour,
                active_customers=len(ids),
                transactions=transactions[(channel, hour)],
                amount=amounts[(channel, hour)],
            )
            for (channel, hour), ids in sorted(customers_at.items())
        ],
        preferred_channel_changes=len(shifts),
        changes=[
            ChannelShift(
                customer_id=customer,
                name=mask_name(names.get(customer, "")) if masked else names.get(customer, ""),
                before=before_channel,
                after=after_channel,
            )
            for customer, before_channel, after_channel in shown
        ],
        quality=_quality(session, begins, ends),
    )


def planning_csv(planning: PlanningOut, language: str) -> str:
    """Activity per channel and hour as CSV for a spreadsheet: a BOM (Excel reads UTF-8 then), headers
    in the page's language, amounts in yuan with two decimals (``kit.csvfile``)."""
    columns = ("channel", "hour", "active", "transactions", "amount")
    rows = [
        [
            translate(f"ui.channel.{row.channel}", language),
            f"{row.hour:02d}:00",
            row.active_customers,
            row.transactions,
            yuan(row.amount),
        ]
        for row in planning.hours
    ]
    return table_csv([translate(f"planning.csv.{column}", language) for column in columns], rows)


def changes_csv(planning: PlanningOut, language: str) -> str:
    """The customers whose preferred channel changed, by name (as the page shows them), for a
    spreadsheet: a BOM, headers in the page's language, channels by their names."""
    rows = [
        [
            shift.name,
            translate(f"ui.channel.{shift.before}", language),
            translate(f"ui.channel.{shift.after}", language),
        ]
        for shift in planning.changes
    ]
    return table_csv(
        [translate(f"planning.{column}", language) for column in ("customer", "before", "after")], rows
    )
