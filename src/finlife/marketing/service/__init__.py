"""The marketing module's public face: the API, pages and other modules call these functions."""

from finlife.marketing.service.at_stores import CampaignAtStores, bank_campaigns_at
from finlife.marketing.service.audience import Audiences, register_audiences
from finlife.marketing.service.campaigns import (
    approve_campaign,
    create_campaign,
    edit_campaign,
    end_campaign,
    get_campaign,
    list_campaigns,
    pause_campaign,
    reject_campaign,
    resume_campaign,
    submit_campaign,
)
from finlife.marketing.service.claim_limits import claims_left
from finlife.marketing.service.claims import (
    EXPIRY_LEASE,
    claim,
    coupons_of,
    customer_coupons,
    expire_coupons,
    restore_coupon,
    wallet,
)
from finlife.marketing.service.districts import create_district, district_test, get_district, list_districts
from finlife.marketing.service.figures import campaign_stats, district_page, live_coupons
from finlife.marketing.service.funnel import STEPS, funnel, record_step
from finlife.marketing.service.newcomers import not_new_for, register_purchase_history
from finlife.marketing.service.redemption import (
    OrderFacts,
    hold_for_order,
    quote,
    redeem_order,
    refund_order,
    release_order,
)
from finlife.marketing.service.shares import campaigns_of_order, claims_by_share_token, live_campaign
from finlife.marketing.service.timeline import coupon_lines

__all__ = [
    "EXPIRY_LEASE",
    "STEPS",
    "Audiences",
    "CampaignAtStores",
    "OrderFacts",
    "approve_campaign",
    "bank_campaigns_at",
    "campaign_stats",
    "campaigns_of_order",
    "claim",
    "claims_by_share_token",
    "claims_left",
    "coupon_lines",
    "coupons_of",
    "create_campaign",
    "create_district",
    "customer_coupons",
    "district_page",
    "district_test",
    "edit_campaign",
    "end_campaign",
    "expire_coupons",
    "funnel",
    "get_campaign",
    "get_district",
    "hold_for_order",
    "list_campaigns",
    "list_districts",
    "live_campaign",
    "live_coupons",
    "not_new_for",
    "pause_campaign",
    "quote",
    "record_step",
    "redeem_order",
    "refund_order",
    "register_audiences",
    "register_purchase_history",
    "reject_campaign",
    "release_order",
    "restore_coupon",
    "resume_campaign",
    "submit_campaign",
    "wallet",
]
