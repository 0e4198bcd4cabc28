"""The campaigns the bank pays for, in full or in part, that apply at a merchant's stores: what its
owner sees on the merchant's pages, so that they know which offers customers bring to the counter.

Bank campaigns cover a merchant's stores by their scope (every store, named merchants or stores, a
business district); a merchant's own campaign the bank co-funds covers its own stores. Only those
approved and not ended are shown (live, or waiting for their first day, or paused).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden
from finlife.kit.pagination import PageParams
from finlife.marketing.models import Campaign
from finlife.marketing.schemas import CampaignOut, CampaignStatus
from finlife.marketing.service.common import campaign_out
from finlife.marketing.service.scope import stores_covered
from finlife.merchants import service as merchants

SHOWN = 50  # the newest; a merchant is covered by a handful at a time
STORES_READ = 500


@dataclass(frozen=True)
class CampaignAtStores:
    campaign: CampaignOut
    store_names: list[str]  # the merchant's stores where its coupons apply, in opening order
    bank_percent: int  # what the bank pays of each discount, branch and head office together


def bank_campaigns_at(session: Session, actor: Actor, merchant_id: str) -> list[CampaignAtStores]:
    """For the merchant's owner (or bank staff): the bank-funded campaigns that apply at its stores,
    newest first, each with the stores it covers. A cashier is refused (403), anyone else 404."""
    access = merchants.merchant_access(session, actor, merchant_id)
    if access.role == "cashier":
        raise Forbidden()
    own = merchants.list_stores(session, actor, merchant_id, PageParams(limit=STORES_READ)).data
    stores = merchants.stores_for_discovery(session, [s.id for s in own])
    bank_pays = (Campaign.funding_branch > 0) | (Campaign.funding_hq > 0)
    stmt = (
        select(Campaign)
        .where(
            Campaign.status.in_([CampaignStatus.APPROVED.value, CampaignStatus.PAUSED.value]),
            bank_pays,
            or_(Campaign.owner == "bank", Campaign.merchant_id == merchant_id),
        )
        .order_by(Campaign.id.desc())
        .limit(SHOWN)
    )
    now = clock.now()
    found = []
    for campaign in session.execute(stmt).scalars():
        out = campaign_out(campaign, now)
        if out.status is CampaignStatus.ENDED:
            continue
        covered = stores_covered(session, campaign, stores)
        if covered:
            percent = campaign.funding_branch + campaign.funding_hq
            found.append(CampaignAtStores(out, [s.name for s in covered], percent))
    return found
