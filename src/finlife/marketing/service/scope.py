"""Where a campaign's coupons apply: named stores, named merchants, one district, or — left open — every
store of the owning merchant (a merchant's campaign) or of every merchant (a bank campaign)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from finlife.catalog import service as catalog
from finlife.kit.errors import NotFound
from finlife.kit.geo import Point
from finlife.marketing.errors import InvalidCampaign
from finlife.marketing.models import Campaign
from finlife.marketing.schemas import CampaignIn, CouponKind
from finlife.marketing.service.districts import district_test
from finlife.merchants import service as merchants
from finlife.merchants.service import DiscoveryStore


def check_scope(session: Session, body: CampaignIn, owner_merchant: str | None) -> None:
    """Refuse (422) a scope that names nothing real, names two kinds of place, or leaves the owner's
    merchant; and a free item that is not sold where the coupon applies."""
    given = [name for name in ("merchant_ids", "store_ids", "district_id") if getattr(body, name)]
    if len(given) > 1:
        raise InvalidCampaign("invalid_scope", given[1])
    if body.district_id is not None:
        try:
            district_test(session, body.district_id)
        except NotFound as exc:
            raise InvalidCampaign("invalid_scope", "district_id") from exc
    if body.store_ids:
        found = merchants.stores_for_discovery(session, list(body.store_ids))
        if len(found) != len(set(body.store_ids)):
            raise InvalidCampaign("invalid_scope", "store_ids")
        if owner_merchant is not None and any(s.merchant_id != owner_merchant for s in found):
            raise InvalidCampaign("scope_outside_merchant", "store_ids")
    if body.merchant_ids:
        if owner_merchant is not None and set(body.merchant_ids) != {owner_merchant}:
            raise InvalidCampaign("scope_outside_merchant", "merchant_ids")
        for merchant_id in body.merchant_ids:
            try:
                merchants.merchant_facts(session, merchant_id)
            except NotFound as exc:
                raise InvalidCampaign("invalid_scope", "merchant_ids") from exc
    if body.kind is CouponKind.FREE_ITEM:
        sellers = {owner_merchant} if owner_merchant else set(body.merchant_ids or [])
        fact = catalog.variation_facts(session, [body.free_variation_id or ""]).get(
            body.free_variation_id or ""
        )
        if fact is None or len(sellers) != 1 or fact.merchant_id not in sellers:
            raise InvalidCampaign("free_item_needs_variation", "free_variation_id")
        if body.price >= fact.price > 0:
            raise InvalidCampaign("price_not_below_value", "price")


def covers(session: Session, campaign: Campaign, store: DiscoveryStore) -> bool:
    """Whether the campaign's coupons apply at this store."""
    if not covers_named(campaign, store):
        return False
    if campaign.district_id:
        return district_test(session, campaign.district_id)((store.latitude_micro, store.longitude_micro))
    return True


def stores_covered(
    session: Session,
    campaign: Campaign,
    stores: list[DiscoveryStore],
    *,
    districts: dict[str, Callable[[Point], bool]] | None = None,
) -> list[DiscoveryStore]:
    """The open stores of active merchants, among ``stores``, where the campaign's coupons apply.
    ``districts`` keeps each district's shape loaded once for a caller asking about many campaigns."""
    if campaign.district_id:
        known = {} if districts is None else districts
        inside = known.get(campaign.district_id)
        if inside is None:
            inside = known[campaign.district_id] = district_test(session, campaign.district_id)
        stores = [s for s in stores if inside((s.latitude_micro, s.longitude_micro))]
    return [
        s
        for s in stores
        if s.status == "active" and s.merchant_status == "active" and covers_named(campaign, s)
    ]


def covers_named(campaign: Campaign, store: DiscoveryStore) -> bool:
    """``covers`` without the district test (done in bulk by the caller)."""
    if campaign.merchant_id is not None and store.merchant_id != campaign.merchant_id:
        return False
    if campaign.store_ids:
        return store.id in campaign.store_ids
    if campaign.merchant_ids:
        return store.merchant_id in campaign.merchant_ids
    return True
