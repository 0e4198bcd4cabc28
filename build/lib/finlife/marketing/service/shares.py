"""What the Life channel asks of marketing about shares and orders: how many coupons each share link
brought in, which campaigns an order used, and one campaign as the Life channel shows it."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.marketing.models import Campaign, Coupon
from finlife.marketing.schemas import LiveCouponOut
from finlife.marketing.service.common import load_campaign
from finlife.marketing.service.figures import live_coupons


def claims_by_share_token(session: Session, tokens: Collection[str]) -> dict[str, int]:
    """Coupons claimed through each share link (every token asked for is in the answer, 0 if none)."""
    counted = dict.fromkeys(tokens, 0)
    if not counted:
        return counted
    rows = session.execute(
        select(Coupon.share_token, func.count())
        .where(Coupon.share_token.in_(list(counted)))
        .group_by(Coupon.share_token)
    ).all()
    for token, claims in rows:
        if token is not None:  # always, as only given tokens match; narrows the column's type
            counted[token] = claims
    return counted


def campaigns_of_order(session: Session, order_id: str) -> list[str]:
    """The campaigns whose coupons the order holds or used, in the order they were claimed."""
    rows = session.execute(
        select(Campaign.public_id)
        .join(Coupon, Coupon.campaign_pk == Campaign.id)
        .where(Coupon.order_id == order_id)
        .order_by(Coupon.id)
    ).scalars()
    return list(dict.fromkeys(rows))


def live_campaign(session: Session, campaign_id: str) -> LiveCouponOut | None:
    """The campaign with every store where its coupons apply while it is live; None once it is not.
    404 for a campaign that does not exist."""
    campaign = load_campaign(session, campaign_id)
    named = list(campaign.store_ids) if campaign.store_ids else None  # narrows the stores looked at
    found = live_coupons(session, store_ids=named)
    return next((live for live in found if live.campaign_id == campaign.public_id), None)
