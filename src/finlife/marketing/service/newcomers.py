"""New-customer campaigns: a coupon only for customers who have not yet paid where it applies, once.

"New" is written down in CONTRIBUTING.md: no approved payment by the customer at the campaign's
merchant (a merchant's campaign), at the merchants it names (a bank campaign scoped to merchants), or
at any store (any other bank campaign). Refunded payments still count: the customer has been a
customer. Payments sit above marketing, so they answer through a hook registered once in app.py;
until they do, nobody has paid anywhere. "Once" is the campaign's per-customer limit, which must be 1.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.marketing.errors import NotANewCustomer
from finlife.marketing.models import Campaign

# (session, customer, merchants or None for any) → whether the customer has paid there before.
PaidBefore = Callable[[Session, str, Collection[str] | None], bool]


def _never(session: Session, customer_id: str, merchant_ids: Collection[str] | None) -> bool:
    return False


_paid_before: list[PaidBefore] = [_never]


def register_purchase_history(paid_before: PaidBefore) -> None:
    _paid_before[0] = paid_before


def _merchants_of(campaign: Campaign) -> list[str] | None:
    if campaign.merchant_id is not None:
        return [campaign.merchant_id]
    return list(campaign.merchant_ids) if campaign.merchant_ids else None


def is_new_customer(session: Session, campaign: Campaign, customer_id: str) -> bool:
    """Whether the customer may claim this campaign as far as being new goes (always, if it is not
    a new-customer campaign)."""
    if not campaign.new_customers_only:
        return True
    return not _paid_before[0](session, customer_id, _merchants_of(campaign))


def ensure_new_customer(session: Session, campaign: Campaign, customer_id: str) -> None:
    if not is_new_customer(session, campaign, customer_id):
        raise NotANewCustomer()


def not_new_for(session: Session, customer_id: str, campaign_ids: list[str]) -> set[str]:
    """Which of these campaigns are for new customers only and this customer is not one (a store page
    shows why instead of a claim button)."""
    if not campaign_ids:
        return set()
    rows = session.execute(
        select(Campaign).where(Campaign.public_id.in_(campaign_ids), Campaign.new_customers_only.is_(True))
    ).scalars()
    return {c.public_id for c in rows if not is_new_customer(session, c, customer_id)}
