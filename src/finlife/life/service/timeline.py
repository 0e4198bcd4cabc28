"""A customer's reviews as lines of their timeline (the 360 view)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.timeline import TimelineLine
from finlife.life.models import Review


def review_lines(session: Session, customer_id: str, *, before: int | None, limit: int) -> list[TimelineLine]:
    """The customer's reviews older than row ``before``, newest first, by the (customer, id) index.

    A review records no channel (it is written in the customer's app, on mobile or web)."""
    stmt = select(Review).where(Review.customer_id == customer_id)
    if before is not None:
        stmt = stmt.where(Review.id < before)
    rows = session.execute(stmt.order_by(Review.id.desc()).limit(limit)).scalars()
    return [
        TimelineLine(
            source="reviews",
            key=review.id,
            at=review.created_at,
            kind="review",
            channel=None,
            action="review_written",
            ref=review.public_id,
            details={"store_id": review.store_id, "rating": review.rating},
        )
        for review in rows
    ]
