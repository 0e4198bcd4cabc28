"""Small pieces the marketing services share: recording changes, loading campaigns, their shape out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.db import for_update
from finlife.kit.errors import NotFound
from finlife.marketing.models import Campaign
from finlife.marketing.schemas import (
    AudienceIn,
    CampaignOut,
    CampaignStatus,
    CouponKind,
    Funder,
    FunderFigures,
)

FUNDERS = (Funder.MERCHANT, Funder.BRANCH, Funder.HQ)


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


def load_campaign(session: Session, campaign_id: str, *, lock: bool = False) -> Campaign:
    stmt = select(Campaign).where(Campaign.public_id == campaign_id)
    if lock:
        stmt = for_update(stmt).execution_options(populate_existing=True)
    campaign = session.execute(stmt).scalar_one_or_none()
    if campaign is None:
        raise NotFound("campaign")
    return campaign


def funding(campaign: Campaign) -> dict[Funder, int]:
    return {
        Funder.MERCHANT: campaign.funding_merchant,
        Funder.BRANCH: campaign.funding_branch,
        Funder.HQ: campaign.funding_hq,
    }


def remaining_budget(campaign: Campaign) -> dict[Funder, int]:
    return {
        Funder.MERCHANT: campaign.budget_merchant - campaign.spent_merchant,
        Funder.BRANCH: campaign.budget_branch - campaign.spent_branch,
        Funder.HQ: campaign.budget_hq - campaign.spent_hq,
    }


def ended_reason(campaign: Campaign, now: datetime) -> str | None:
    """Why an approved campaign no longer takes claims: its dates, its stock or a spent budget."""
    if campaign.status == CampaignStatus.ENDED:
        return "ended"
    if campaign.status != CampaignStatus.APPROVED:
        return None
    if campaign.valid_to is not None and now >= campaign.valid_to:
        return "date"
    if campaign.issued >= campaign.stock:
        return "stock"
    shares, left = funding(campaign), remaining_budget(campaign)
    if any(shares[funder] > 0 and left[funder] <= 0 for funder in FUNDERS):
        return "budget"
    return None


def effective_status(campaign: Campaign, now: datetime) -> CampaignStatus:
    """The stored status, with ``approved`` read as ``live`` or ``ended`` by the clock and counters."""
    if campaign.status != CampaignStatus.APPROVED:
        return CampaignStatus(campaign.status)
    if ended_reason(campaign, now) is not None:
        return CampaignStatus.ENDED
    return CampaignStatus.LIVE if now >= campaign.valid_from else CampaignStatus.APPROVED


def campaign_out(campaign: Campaign, now: datetime) -> CampaignOut:
    status = effective_status(campaign, now)
    return CampaignOut(
        id=campaign.public_id,
        name=campaign.name,
        owner=campaign.owner,
        merchant_id=campaign.merchant_id,
        kind=CouponKind(campaign.kind),
        value=campaign.value,
        min_spend=campaign.min_spend,
        cap=campaign.cap,
        free_variation_id=campaign.free_variation_id,
        funding=FunderFigures(
            merchant=campaign.funding_merchant, branch=campaign.funding_branch, hq=campaign.funding_hq
        ),
        budget=FunderFigures(
            merchant=campaign.budget_merchant, branch=campaign.budget_branch, hq=campaign.budget_hq
        ),
        spent=FunderFigures(
            merchant=campaign.spent_merchant, branch=campaign.spent_branch, hq=campaign.spent_hq
        ),
        stock=campaign.stock,
        issued=campaign.issued,
        per_customer_limit=campaign.per_customer_limit,
        price=campaign.price,
        valid_from=campaign.valid_from,
        valid_to=campaign.valid_to,
        valid_days=campaign.valid_days,
        weekdays=campaign.weekdays,
        hours=campaign.hours,
        merchant_ids=campaign.merchant_ids,
        store_ids=campaign.store_ids,
        district_id=campaign.district_id,
        categories=campaign.categories,
        labels=list(campaign.labels),
        stackable=campaign.stackable,
        audience=AudienceIn(segment_id=campaign.audience_segment_id)
        if campaign.audience_segment_id
        else None,
        new_customers_only=campaign.new_customers_only,
        status=status,
        ended_reason=ended_reason(campaign, now) if status is CampaignStatus.ENDED else None,
        created_by=campaign.created_by,
        created_at=campaign.created_at,
        approved_by=campaign.approved_by,
        approved_at=campaign.approved_at,
        rejection_reason=campaign.rejection_reason,
    )
