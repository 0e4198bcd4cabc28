"""The rules that turn a customer's payments and interactions into preferences, RFM scores and a
lifecycle stage. Pure functions of the rows: the same rules serve ``finlife insights refresh`` (every
customer) and a view computed on demand (one). The rules are written down in CONTRIBUTING.md
("Insights: the customer 360 view and segments").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_DAYS = 90  # what the facts look back on
RECENT_DAYS = 30
NEW_DAYS = 30  # a customer who joined this recently is "new"
TOP = 3  # favourite stores, usual hours, usual districts

# RFM thresholds, highest score first (fixed, so one customer's scores need no one else's).
RECENCY_DAYS = ((7, 5), (30, 4), (60, 3), (90, 2))  # last payment at most n days ago → score
FREQUENCY = ((20, 5), (10, 4), (5, 3), (2, 2))  # at least n payments in 90 days → score
MONETARY = ((500_000, 5), (200_000, 4), (50_000, 3), (10_000, 2))  # at least n fen in 90 days → score


@dataclass(frozen=True, slots=True)
class AtStore:
    """One customer's payments at one store in the window (fen, net of refunds)."""

    store_id: str
    category: str
    district: str
    payments: int
    spend_90d: int
    spend_30d: int
    spend_before: int  # the 30 days before the last 30
    last_at: datetime


@dataclass(slots=True)
class History:
    """What one customer did in the window, as the rules read it."""

    joined_at: datetime | None = None
    stores: list[AtStore] = field(default_factory=list)
    hours: Counter[int] = field(default_factory=Counter)  # payments by hour of the day (Shanghai)
    # Interactions by channel: every money movement of an account is one too (on the till's channel
    # for a card payment, the app's for a QR payment), so payments are not counted twice.
    channels: Counter[str] = field(default_factory=Counter)


def _score(value: int, thresholds: tuple[tuple[int, int], ...], *, at_most: bool = False) -> int:
    for bound, score in thresholds:
        if (value <= bound) if at_most else (value >= bound):
            return score
    return 1


def change(now: int, before: int) -> str | None:
    """The change of a period against the one before it, as a fraction (Decimal text, 4 places);
    None when nothing was spent before (no base to compare with)."""
    if before == 0:
        return None
    ratio = (Decimal(now - before) / Decimal(before)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN)
    return str(ratio)


def lifecycle(joined_at: datetime | None, last_paid: datetime | None, now: datetime) -> str:
    """new: joined in the last 30 days; active: paid in the last 30; at_risk: last paid 31–90 days
    ago; lapsed: no payment in 90 days."""
    if joined_at is not None and now - joined_at <= timedelta(days=NEW_DAYS):
        return "new"
    if last_paid is None or now - last_paid > timedelta(days=WINDOW_DAYS):
        return "lapsed"
    if now - last_paid <= timedelta(days=RECENT_DAYS):
        return "active"
    return "at_risk"


def _top(counts: Mapping[Any, int]) -> list[Any]:
    # Most first; ties by the key, so the same rows always give the same answer.
    return [key for key, _ in sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:TOP]]


def facts_of(history: History, now: datetime, store_names: Mapping[str, str]) -> dict[str, Any]:
    """Everything the view shows and segments test, from one customer's history."""
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # 30d, 90d, the 30d before
    districts: Counter[str] = Counter()
    last_paid: datetime | None = None
    for at_store in history.stores:
        sums = by_category[at_store.category]
        sums[0] += at_store.spend_30d
        sums[1] += at_store.spend_90d
        sums[2] += at_store.spend_before
        districts[at_store.district] += at_store.payments
        if last_paid is None or at_store.last_at > last_paid:
            last_paid = at_store.last_at
    stores = {s.store_id: s for s in history.stores}
    spend_90d = sum(sums[1] for sums in by_category.values())
    payments = sum(s.payments for s in history.stores)
    recency = (now - last_paid).days if last_paid is not None else None
    channels = history.channels
    return {
        "categories": [
            {"category": name, "spend_30d": s[0], "spend_90d": s[1], "change": change(s[0], s[2])}
            for name, s in sorted(by_category.items(), key=lambda item: (-item[1][1], item[0]))
        ],
        "spend_30d": sum(sums[0] for sums in by_category.values()),
        "spend_90d": spend_90d,
        "payments_90d": payments,
        "recency_days": recency,
        "favourite_stores": [
            {
                "store_id": store_id,
                "name": store_names.get(store_id, store_id),
                "payments": stores[store_id].payments,
                "spend": stores[store_id].spend_90d,
            }
            for store_id in _top({s.store_id: s.payments for s in history.stores})
        ],
        "usual_hours": _top(history.hours),
        "districts": _top(districts),
        "preferred_channel": _top(channels)[0] if channels else None,
        "channels": dict(sorted(channels.items())),
        "rfm": {
            "r": _score(recency, RECENCY_DAYS, at_most=True) if recency is not None else 1,
            "f": _score(payments, FREQUENCY),
            "m": _score(spend_90d, MONETARY),
        },
        "lifecycle": lifecycle(history.joined_at, last_paid, now),
    }


def histories(
    customer_ids: Iterable[str],
    joined: Mapping[str, datetime],
    stores: Iterable[tuple[str, AtStore]],
    hours: Iterable[tuple[str, int, int]],
    channels: Mapping[str, Counter[str]],
) -> dict[str, History]:
    """Group the rows by customer (every customer given gets a history, empty or not)."""
    found = {customer_id: History(joined_at=joined.get(customer_id)) for customer_id in customer_ids}
    for customer_id, at_store in stores:
        if customer_id in found:
            found[customer_id].stores.append(at_store)
    for customer_id, hour, count in hours:
        if customer_id in found:
            found[customer_id].hours[hour] += count
    for customer_id, counts in channels.items():
        if customer_id in found:
            found[customer_id].channels = counts
    return found
