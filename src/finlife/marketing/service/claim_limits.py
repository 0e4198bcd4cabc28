"""How many more coupons of each campaign a customer may still claim (its per-customer limit less
what they claimed, as ``claims`` counts it), so a store page offers only what can still be claimed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.marketing.models import Campaign, ClaimCount


def claims_left(session: Session, customer_id: str, campaign_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(left, limit) per campaign id for this customer."""
    if not campaign_ids:
        return {}
    rows = session.execute(
        select(Campaign.public_id, Campaign.per_customer_limit, ClaimCount.claimed)
        .outerjoin(
            ClaimCount,
            (ClaimCount.campaign_pk == Campaign.id) & (ClaimCount.customer_id == customer_id),
        )
        .where(Campaign.public_id.in_(campaign_ids))
    ).all()
    return {public_id: (max(0, limit - (claimed or 0)), limit) for public_id, limit, claimed in rows}
