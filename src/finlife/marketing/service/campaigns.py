"""Campaigns: drawn up, submitted, approved by bank staff when the bank pays, live, paused, ended.

A merchant's owner funds its own campaigns (and may ask the bank to co-fund them); branch and head-office
marketing staff fund bank campaigns. Anything the bank funds needs a second person of the bank to
approve it; a campaign the merchant alone pays for is approved on submission.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, may, require
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind
from finlife.marketing.errors import (
    BankFundingNeedsStaff,
    CampaignWrongStatus,
    CannotApproveOwnCampaign,
    DraftSubmitterNotAllowed,
    InvalidCampaign,
    MerchantFundingNeedsOwner,
)
from finlife.marketing.models import Campaign
from finlife.marketing.schemas import (
    AudienceIn,
    BudgetIn,
    CampaignChangesIn,
    CampaignIn,
    CampaignOut,
    CampaignStatus,
    CouponKind,
    Funder,
    FundingIn,
    Label,
)
from finlife.marketing.service.audience import check_audience
from finlife.marketing.service.common import campaign_out, load_campaign, record_change
from finlife.marketing.service.scope import check_scope
from finlife.merchants import service as merchants

CURRENCY = "CNY"
FUNDING_ROLES = {
    Funder.BRANCH: (Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN),
    Funder.HQ: (Role.HQ_MARKETING, Role.BANK_ADMIN),
}


def _for_the_bank(actor: Actor) -> bool:
    """Bank staff whose work is campaigns (kit.permissions); a teller is not among them."""
    return actor.is_staff and may(actor, Capability.CAMPAIGNS)


def _owner_merchant(session: Session, actor: Actor, body: CampaignIn) -> str | None:
    """The merchant whose owner draws up the campaign (None for a bank campaign)."""
    if _for_the_bank(actor):
        if body.funding.merchant > 0:
            raise MerchantFundingNeedsOwner()
        return None
    if not actor.has(Role.MERCHANT_OWNER):
        raise Forbidden()
    owned = [a.merchant_id for a in merchants.merchants_of(session, actor) if a.role == "owner"]
    merchant_id = body.merchant_id or (owned[0] if len(owned) == 1 else None)
    if merchant_id is None or merchant_id not in owned:
        raise NotFound("merchant")
    merchants.merchant_access(session, actor, merchant_id, manage=True)  # 409 if not active
    return merchant_id


def _check_terms(body: CampaignIn) -> None:
    shares = body.funding.model_dump()
    if sum(shares.values()) != 100:
        raise InvalidCampaign("funding_not_whole", "funding")
    for funder, percent in shares.items():
        budget = getattr(body.budget, funder)
        if percent > 0 and budget is None:
            raise InvalidCampaign("budget_required", f"budget.{funder}", funder=funder)
        if percent == 0 and budget:
            raise InvalidCampaign("budget_without_share", f"budget.{funder}", funder=funder)
    if body.new_customers_only and body.per_customer_limit != 1:
        raise InvalidCampaign("new_customers_once", "per_customer_limit")
    if body.kind is CouponKind.PERCENT:
        if not 1 <= body.value <= 100:
            raise InvalidCampaign("invalid_coupon_value", "value")
        if body.cap is None or body.cap <= 0:
            raise InvalidCampaign("percent_needs_cap", "cap")
    elif body.kind is CouponKind.FREE_ITEM:
        if body.free_variation_id is None:
            raise InvalidCampaign("free_item_needs_variation", "free_variation_id")
    elif body.value <= 0:
        raise InvalidCampaign("invalid_coupon_value", "value")
    elif body.kind is CouponKind.THRESHOLD and body.min_spend <= body.value:
        raise InvalidCampaign("threshold_needs_min_spend", "min_spend")
    # A bought coupon must be worth more than its price (a free item is checked against its price).
    face = body.cap if body.kind is CouponKind.PERCENT else body.value
    if body.kind is not CouponKind.FREE_ITEM and body.price > 0 and body.price >= (face or 0):
        raise InvalidCampaign("price_not_below_value", "price")
    if (body.valid_to is None) == (body.valid_days is None):
        raise InvalidCampaign("invalid_validity", "valid_to")
    start = body.valid_from or clock.now()
    if body.valid_to is not None and body.valid_to <= start:
        raise InvalidCampaign("invalid_validity", "valid_to")


def _check_funders(actor: Actor, body: CampaignIn) -> None:
    """The bank's money is committed by its marketing staff, or asked for by a merchant (and then
    approved by them)."""
    if not _for_the_bank(actor):
        return
    for funder, roles in FUNDING_ROLES.items():
        if getattr(body.funding, funder.value) > 0 and not actor.has(*roles):
            raise BankFundingNeedsStaff(funder.value)


def create_campaign(session: Session, actor: Actor, body: CampaignIn) -> CampaignOut:
    """Draw up a campaign (``draft``); nothing is promised to anyone until it is approved."""
    _check_terms(body)
    _check_funders(actor, body)
    owner_merchant = _owner_merchant(session, actor, body)
    check_scope(session, body, owner_merchant)
    segment_id = body.audience.segment_id if body.audience is not None else None
    check_audience(session, actor, segment_id)
    now = clock.now()
    campaign = Campaign(
        public_id=new_id("cmp"),
        owner="bank" if owner_merchant is None else "merchant",
        merchant_id=owner_merchant,
        spent_merchant=0,
        spent_branch=0,
        spent_hq=0,
        issued=0,
        status=CampaignStatus.DRAFT.value,
        created_by=actor.user_id or "system",
        created_at=now,
    )
    _set_terms(campaign, body, now)
    session.add(campaign)
    session.flush()
    _record(session, actor, "marketing.campaign_created", campaign)
    return campaign_out(campaign, now)


def _set_terms(campaign: Campaign, body: CampaignIn, now: datetime) -> None:
    """Write the terms a person chose (at creation, or in a draft's edit) onto the campaign's row."""
    campaign.name = body.name.strip()
    campaign.kind = body.kind.value
    campaign.value = body.value
    campaign.min_spend = body.min_spend
    campaign.cap = body.cap
    campaign.free_variation_id = body.free_variation_id
    campaign.funding_merchant = body.funding.merchant
    campaign.funding_branch = body.funding.branch
    campaign.funding_hq = body.funding.hq
    campaign.budget_merchant = body.budget.merchant or 0
    campaign.budget_branch = body.budget.branch or 0
    campaign.budget_hq = body.budget.hq or 0
    campaign.stock = body.stock
    campaign.per_customer_limit = body.per_customer_limit
    campaign.price = body.price
    campaign.valid_from = body.valid_from or now
    campaign.valid_to = body.valid_to
    campaign.valid_days = body.valid_days
    campaign.weekdays = sorted(set(body.weekdays)) if body.weekdays else None
    campaign.hours = body.hours
    campaign.merchant_ids = body.merchant_ids
    campaign.store_ids = body.store_ids
    campaign.district_id = body.district_id
    campaign.categories = body.categories
    campaign.audience_segment_id = body.audience.segment_id if body.audience is not None else None
    campaign.labels = [label.value for label in body.labels]
    campaign.stackable = body.stackable
    campaign.new_customers_only = body.new_customers_only


def terms_of(campaign: Campaign) -> CampaignIn:
    """The terms of a campaign as they would be drawn up again (what a draft's edit starts from)."""
    funding = {
        "merchant": campaign.funding_merchant,
        "branch": campaign.funding_branch,
        "hq": campaign.funding_hq,
    }
    budgets = {
        "merchant": campaign.budget_merchant,
        "branch": campaign.budget_branch,
        "hq": campaign.budget_hq,
    }
    return CampaignIn(
        name=campaign.name,
        merchant_id=campaign.merchant_id,
        kind=CouponKind(campaign.kind),
        value=campaign.value,
        min_spend=campaign.min_spend,
        cap=campaign.cap,
        free_variation_id=campaign.free_variation_id,
        funding=FundingIn(**funding),
        # A funder without a share has no budget (0 would read as "a budget without a share").
        budget=BudgetIn(**{f: budgets[f] if funding[f] else None for f in funding}),
        stock=campaign.stock,
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
        labels=[Label(label) for label in campaign.labels],
        stackable=campaign.stackable,
        new_customers_only=campaign.new_customers_only,
        audience=AudienceIn(segment_id=campaign.audience_segment_id)
        if campaign.audience_segment_id
        else None,
    )


def edit_campaign(
    session: Session, actor: Actor, campaign_id: str, changes: CampaignChangesIn
) -> CampaignOut:
    """Change a draft (or one sent back) by whoever may submit it, held to the rules of a new campaign.

    Once submitted nothing changes: what the bank approves, or customers claim, is what was drawn up."""
    campaign = visible_campaign(session, actor, campaign_id, lock=True)
    _ensure_may_submit(session, actor, campaign)
    _expect(campaign, CampaignStatus.DRAFT)
    if campaign.merchant_id is not None:
        merchants.merchant_access(session, actor, campaign.merchant_id, manage=True)  # 409 if not active
    given = changes.model_dump(exclude_unset=True)
    try:
        body = CampaignIn.model_validate(terms_of(campaign).model_dump() | given)
    except ValidationError as exc:  # a field that must have a value was sent as null
        where = exc.errors()[0]["loc"]
        raise InvalidCampaign("validation_error", str(where[0]) if where else "body") from exc
    _check_terms(body)
    _check_funders(actor, body)
    check_scope(session, body, campaign.merchant_id)
    check_audience(session, actor, body.audience.segment_id if body.audience is not None else None)
    now = clock.now()
    _set_terms(campaign, body, now)
    session.flush()
    _record(session, actor, "marketing.campaign_edited", campaign, changed=",".join(sorted(given)))
    return campaign_out(campaign, now)


def _record(session: Session, actor: Actor, action: str, campaign: Campaign, **more: str) -> None:
    details = {"name": campaign.name, "status": campaign.status, "merchant_id": campaign.merchant_id, **more}
    record_change(
        session, actor, action, subject_type="campaign", subject_id=campaign.public_id, details=details
    )


def _bank_funded(campaign: Campaign) -> bool:
    return campaign.funding_branch > 0 or campaign.funding_hq > 0


def visible_campaign(session: Session, actor: Actor, campaign_id: str, *, lock: bool = False) -> Campaign:
    """A campaign for bank staff, or for the owner of the merchant that runs it; 404 for anyone else."""
    campaign = load_campaign(session, campaign_id, lock=lock)
    if _for_the_bank(actor):
        return campaign
    if campaign.merchant_id is not None:
        owned = {a.merchant_id for a in merchants.merchants_of(session, actor) if a.role == "owner"}
        if campaign.merchant_id in owned:
            return campaign
    raise NotFound("campaign")


def _expect(campaign: Campaign, *wanted: CampaignStatus) -> None:
    if campaign.status not in {w.value for w in wanted}:
        raise CampaignWrongStatus(campaign.status, "/".join(w.value for w in wanted))


def _approve(session: Session, campaign: Campaign, actor: Actor, now: datetime) -> None:
    campaign.status = CampaignStatus.APPROVED.value
    campaign.approved_by = actor.user_id
    campaign.approved_at = now
    if campaign.price > 0 and campaign.sales_ledger_account_id is None:
        # What customers pay for the coupons waits here until a coupon is used or refunded.
        account = ledger.open_account(
            session,
            code=f"campaign:{campaign.public_id}:coupon_sales:{CURRENCY}",
            name=f"coupon sales {campaign.public_id}",
            kind=AccountKind.LIABILITY,
            currency=CURRENCY,
        )
        campaign.sales_ledger_account_id = account.id


def _ensure_may_submit(session: Session, actor: Actor, campaign: Campaign) -> None:
    """A merchant's draft is submitted by that merchant's owner, a bank draft by its author: submitting
    commits the funder's budget (a merchant-funded draft goes live on submission), so nobody else may."""
    if campaign.merchant_id is not None:
        owned = {a.merchant_id for a in merchants.merchants_of(session, actor) if a.role == "owner"}
        if campaign.merchant_id in owned:
            return
    elif actor.user_id is not None and campaign.created_by == actor.user_id:
        return
    raise DraftSubmitterNotAllowed()


def submit_campaign(session: Session, actor: Actor, campaign_id: str) -> CampaignOut:
    """The owner (or the bank staff who drew it up) submits a draft; merchant-only money approves it."""
    campaign = visible_campaign(session, actor, campaign_id, lock=True)
    _ensure_may_submit(session, actor, campaign)
    _expect(campaign, CampaignStatus.DRAFT)
    now = clock.now()
    campaign.submitted_at = now
    if _bank_funded(campaign):
        campaign.status = CampaignStatus.SUBMITTED.value
    else:
        _approve(session, campaign, actor, now)
    session.flush()
    _record(session, actor, "marketing.campaign_submitted", campaign)
    return campaign_out(campaign, now)


def approve_campaign(session: Session, actor: Actor, campaign_id: str) -> CampaignOut:
    """Bank marketing staff approve a submitted campaign; never their own (four eyes)."""
    require(actor, Capability.CAMPAIGN_APPROVAL)
    campaign = load_campaign(session, campaign_id, lock=True)
    _expect(campaign, CampaignStatus.SUBMITTED)
    if campaign.created_by == actor.user_id:
        raise CannotApproveOwnCampaign()
    if campaign.funding_hq > 0 and not actor.has(Role.HQ_MARKETING, Role.BANK_ADMIN):
        raise BankFundingNeedsStaff(Funder.HQ.value)
    now = clock.now()
    _approve(session, campaign, actor, now)
    session.flush()
    _record(session, actor, "marketing.campaign_approved", campaign)
    return campaign_out(campaign, now)


def reject_campaign(session: Session, actor: Actor, campaign_id: str, reason: str) -> CampaignOut:
    """Bank staff send a submitted campaign back to draft, saying why (its owner sees the reason)."""
    require(actor, Capability.CAMPAIGN_APPROVAL)
    campaign = load_campaign(session, campaign_id, lock=True)
    _expect(campaign, CampaignStatus.SUBMITTED)
    campaign.status = CampaignStatus.DRAFT.value
    campaign.rejection_reason = reason
    session.flush()
    _record(session, actor, "marketing.campaign_rejected", campaign, reason=reason)
    return campaign_out(campaign, clock.now())


def pause_campaign(session: Session, actor: Actor, campaign_id: str) -> CampaignOut:
    """Stop claims for a while; coupons already held stay usable."""
    return _switch(session, actor, campaign_id, CampaignStatus.APPROVED, CampaignStatus.PAUSED, "paused")


def resume_campaign(session: Session, actor: Actor, campaign_id: str) -> CampaignOut:
    return _switch(session, actor, campaign_id, CampaignStatus.PAUSED, CampaignStatus.APPROVED, "resumed")


def _switch(
    session: Session,
    actor: Actor,
    campaign_id: str,
    current: CampaignStatus,
    target: CampaignStatus,
    done: str,
) -> CampaignOut:
    """Move a campaign its runner may see from ``current`` to ``target``, audited as ``done``."""
    campaign = visible_campaign(session, actor, campaign_id, lock=True)
    _expect(campaign, current)
    campaign.status = target.value
    session.flush()
    _record(session, actor, f"marketing.campaign_{done}", campaign)
    return campaign_out(campaign, clock.now())


def end_campaign(session: Session, actor: Actor, campaign_id: str) -> CampaignOut:
    """End for good: no more claims. Coupons already held stay usable until their own date."""
    campaign = visible_campaign(session, actor, campaign_id, lock=True)
    _expect(
        campaign,
        CampaignStatus.DRAFT,
        CampaignStatus.SUBMITTED,
        CampaignStatus.APPROVED,
        CampaignStatus.PAUSED,
    )
    now = clock.now()
    campaign.status = CampaignStatus.ENDED.value
    campaign.ended_at = now
    session.flush()
    _record(session, actor, "marketing.campaign_ended", campaign)
    return campaign_out(campaign, now)


def get_campaign(session: Session, actor: Actor, campaign_id: str) -> CampaignOut:
    return campaign_out(visible_campaign(session, actor, campaign_id), clock.now())


def list_campaigns(
    session: Session, actor: Actor, *, status: CampaignStatus | None = None, merchant_id: str | None = None
) -> list[CampaignOut]:
    """Bank staff see every campaign; a merchant's owner its merchant's. Newest first."""
    stmt = select(Campaign).order_by(Campaign.id.desc())
    if not _for_the_bank(actor):
        owned = [a.merchant_id for a in merchants.merchants_of(session, actor) if a.role == "owner"]
        stmt = stmt.where(Campaign.merchant_id.in_(owned))
    if merchant_id is not None:
        stmt = stmt.where(Campaign.merchant_id == merchant_id)
    now = clock.now()
    rows = [campaign_out(c, now) for c in session.execute(stmt.limit(500)).scalars()]
    return [c for c in rows if status is None or c.status is status]
