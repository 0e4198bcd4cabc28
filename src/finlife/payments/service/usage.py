"""Barcode payment limits per customer per business day (PBoC 2017 rules; amounts in settings).

Static merchant codes (level D) and dynamic ones (level C: merchant-presented dynamic codes and the
customer's own payment codes, authorised with fewer than two factors) are counted apart, each with
one atomic upsert; a refused payment's rollback takes its increment back.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import increment_counters, table_of
from finlife.payments.errors import QrLimitExceeded
from finlife.payments.models import QrUsage
from finlife.settings import Settings

STATIC, DYNAMIC = "static", "dynamic"
_usage = table_of(QrUsage)


def daily_limit(settings: Settings, kind: str) -> int:
    return settings.qr_static_daily_limit if kind == STATIC else settings.qr_dynamic_daily_limit


def count_qr(
    session: Session, settings: Settings, *, customer_id: str, kind: str, amount: int, currency: str
) -> None:
    """Add ``amount`` to the customer's ``kind`` usage of today, or refuse (422 qr_limit_exceeded)."""
    limit = daily_limit(settings, kind)
    # One atomic upsert with RETURNING; on PostgreSQL sent by the driver with the queued writes in one
    # round trip (kit.db.increment_counters), not through the ORM.
    keys = {"customer_id": customer_id, "day": clock.business_day().isoformat(), "kind": kind}
    (total,) = increment_counters(session, _usage, column="used", increments=[(keys, amount)])
    if total > limit:
        raise QrLimitExceeded(kind, max(limit - (total - amount), 0), currency)
