"""A customer's coupons as lines of their timeline (the 360 view): when, where, for which campaign."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.timeline import TimelineLine
from finlife.marketing.models import Campaign, Coupon


def coupon_lines(
    session: Session, customer_id: str, *, before: int | None, limit: int, channel: str | None = None
) -> list[TimelineLine]:
    """The customer's coupons older than row ``before``, newest first, by the (customer, id) index."""
    stmt = (
        select(Coupon, Campaign.public_id, Campaign.name)
        .join(Campaign, Campaign.id == Coupon.campaign_pk)
        .where(Coupon.customer_id == customer_id)
    )
    if before is not None:
        stmt = stmt.where(Coupon.id < before)
    if channel is not None:
        stmt = stmt.where(Coupon.channel == channel)
    rows = session.execute(stmt.order_by(Coupon.id.desc()).limit(limit)).all()
    return [
        TimelineLine(
            source="coupons",
            key=coupon.id,
            at=coupon.claimed_at,
            kind="coupon",
            channel=coupon.channel,
            action="coupon_claimed",
            ref=coupon.public_id,
            amount=-coupon.price if coupon.price else None,
            details={"campaign_id": campaign_id, "campaign": name, "status": coupon.status},
        )
        for coupon, campaign_id, name in rows
    ]
