"""Small pieces the life services share: coordinates in and out, ratings, recording changes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.life.errors import InvalidCoordinates

MICRO = Decimal(1_000_000)


def micro_degrees(value: Decimal, limit: int, field: str) -> int:
    """Degrees to integer micro-degrees: finite, within ±limit, at most six decimals."""
    if not value.is_finite() or abs(value) > limit:
        raise InvalidCoordinates(field)
    micro = value * MICRO
    if micro != micro.to_integral_value():
        raise InvalidCoordinates(field)
    return int(micro)


def degrees(micro: int) -> str:
    """Integer micro-degrees as a degree string of six decimals, e.g. 31232000 → "31.232000"."""
    return f"{Decimal(micro) / MICRO:.6f}"


def rating_tenths(rating_sum: int, count: int) -> int | None:
    """The average rating in tenths, rounded half up in integers (no float): 14/3 → 47."""
    if count == 0:
        return None
    return (rating_sum * 20 + count) // (2 * count)


def rating_text(tenths: int | None) -> str | None:
    return None if tenths is None else f"{tenths // 10}.{tenths % 10}"


def record_change(
    session: Session,
    actor: Actor,
    action: str,
    *,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any],
) -> None:
    """Audit and outbox for one change, in its transaction."""
    audit.record(session, actor, action, subject_type=subject_type, subject_id=subject_id, details=details)
    outbox.publish(
        session, action, {f"{subject_type}_id": subject_id, **details}, channel=actor.channel.value
    )
