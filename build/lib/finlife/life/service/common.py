"""Small pieces the life services share: ratings, recording changes."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.kit import outbox
from finlife.kit.auth import Actor


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
