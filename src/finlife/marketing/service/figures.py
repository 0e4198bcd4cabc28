"""What the Life channel shows of live campaigns, and each campaign's figures for its owner and the bank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from finlife.kit import geo
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.marketing.models import Campaign, Coupon
from finlife.marketing.schemas import (
    AudienceFigures,
    AudienceSplit,
    CampaignStatsOut,
    CampaignStatus,
    CouponKind,
    CouponStatus,
    DistrictOut,
    FunderFigures,
    LiveCouponOut,
)
from finlife.marketing.service.audience import members_among, sees
from finlife.marketing.service.campaigns import visible_campaign
from finlife.marketing.service.common import effective_status
from finlife.marketing.service.districts import district_test, get_district
from finlife.marketing.service.pricing import pro_rata
from finlife.marketing.service.scope import stores_covered
from finlife.merchants import service as merchants
from finlife.merchants.service import DiscoveryStore

NEARBY_M = 5_000  # "near the customer" when no district is asked for


# Built once, the time bound at each call: every discovery request and store page asks for the live
# campaigns.
_STARTED = select(Campaign).where(
    Campaign.status == CampaignStatus.APPROVED.value,
    Campaign.valid_from <= bindparam("now"),
    Campaign.issued < Campaign.stock,
)
_STARTED_IN_ORDER = _STARTED.order_by(Campaign.id)


def _live(session: Session, *, unheld_by: str | None = None) -> list[Campaign]:
    now = clock.now()
    stmt = _STARTED_IN_ORDER
    if unheld_by is not None:
        # In the same query, not by reading the customer's wallet: a coupon held or used once means
        # the campaign is not offered again.
        held = select(Coupon.campaign_pk).where(Coupon.customer_id == unheld_by)
        stmt = _STARTED.where(Campaign.id.not_in(held)).order_by(Campaign.id)
    rows = session.execute(stmt, {"now": now}).scalars()
    return [c for c in rows if effective_status(c, now) is CampaignStatus.LIVE]


def live_coupons(
    session: Session,
    *,
    near: geo.Point | None = None,
    radius_m: int = NEARBY_M,
    district_id: str | None = None,
    category: str | None = None,
    store_ids: list[str] | None = None,
    customer_id: str | None = None,
    unheld: bool = False,
    among: list[DiscoveryStore] | None = None,
) -> list[LiveCouponOut]:
    """Live campaigns with the stores where their coupons apply, filtered to the stores near a point,
    in a district, of a category, or among the given stores; those with no such store are left out,
    and so are campaigns targeted at a segment the customer (None: not signed in) is not in. With
    ``unheld``, also those the customer holds or used a coupon of.

    ``among``: the open stores of active merchants to consider, already loaded by a caller that needs
    them too (the recommendations show their names), instead of loading them here."""
    if among is None:
        # The database narrows to the box around the point (its position index) and the category;
        # the exact circle and the district's shape are tested here.
        where = merchants.StoreFilter(
            category=category,
            box=merchants.box_around(near, radius_m) if near is not None else None,
            store_ids=store_ids,
        )
        stores = merchants.stores_for_discovery(session, where=where)
    else:
        stores = among
    keep: list[Callable[[DiscoveryStore], bool]] = []
    if near is not None:
        keep.append(lambda s: geo.distance_m(near, (s.latitude_micro, s.longitude_micro)) <= radius_m)
    if district_id is not None:
        inside = district_test(session, district_id)
        keep.append(lambda s: inside((s.latitude_micro, s.longitude_micro)))
    stores = [s for s in stores if all(test(s) for test in keep)]
    found = []
    # Campaigns share audiences and districts: each is asked about once per call.
    audience: dict[str, bool] = {}
    places: dict[str, Callable[[geo.Point], bool]] = {}
    for campaign in _live(session, unheld_by=customer_id if unheld else None):
        segment = campaign.audience_segment_id
        if segment is not None and segment not in audience:
            audience[segment] = sees(session, segment, customer_id)
        if segment is not None and not audience[segment]:
            continue
        covered = stores_covered(session, campaign, stores, districts=places)
        if covered:
            found.append(
                LiveCouponOut(
                    campaign_id=campaign.public_id,
                    name=campaign.name,
                    kind=CouponKind(campaign.kind),
                    value=campaign.value,
                    min_spend=campaign.min_spend,
                    cap=campaign.cap,
                    price=campaign.price,
                    left=campaign.stock - campaign.issued,
                    labels=list(campaign.labels),
                    merchant_id=campaign.merchant_id,
                    store_ids=[s.id for s in covered],
                    valid_to=campaign.valid_to,
                    valid_days=campaign.valid_days,
                    new_customers_only=campaign.new_customers_only,
                )
            )
    return found


def district_page(session: Session, district_id: str) -> DistrictOut:
    """A district with its stores and the live coupons that apply in it (the Life channel's page)."""
    district = get_district(session, district_id)
    return district.model_copy(update={"coupons": live_coupons(session, district_id=district_id)})


def campaign_stats(session: Session, actor: Actor, campaign_id: str) -> CampaignStatsOut:
    """Issued, claimed, redeemed, expired; each funder's subsidy and the orders' revenue, net of refunds."""
    campaign = visible_campaign(session, actor, campaign_id)
    coupons = session.execute(select(Coupon).where(Coupon.campaign_pk == campaign.id)).scalars().all()
    statuses = Counter(coupon.status for coupon in coupons)
    redeemed = [c for c in coupons if c.status == CouponStatus.REDEEMED.value]
    held = [c for c in coupons if c.status == CouponStatus.AVAILABLE.value and c.order_id is not None]

    def net(part: int | None, coupon: Coupon) -> int:
        share = part or 0
        return share - pro_rata(share, coupon.order_refunded, coupon.order_paid or 0)

    return CampaignStatsOut(
        campaign_id=campaign.public_id,
        stock=campaign.stock,
        issued=campaign.issued,
        claimed=len(coupons),
        available=statuses[CouponStatus.AVAILABLE.value] - len(held),
        held_by_open_orders=len(held),
        redeemed=len(redeemed),
        expired=statuses[CouponStatus.EXPIRED.value],
        refunded=statuses[CouponStatus.REFUNDED.value],
        subsidy=FunderFigures(
            merchant=sum(net(c.merchant_share, c) for c in redeemed),
            branch=sum(net(c.branch_share, c) for c in redeemed),
            hq=sum(net(c.hq_share, c) for c in redeemed),
        ),
        prepaid=sum(net(c.prepaid_share, c) for c in redeemed),
        orders=len({c.order_id for c in redeemed}),
        revenue=sum((c.order_paid or 0) - c.order_refunded for c in redeemed),
        gross=sum(c.order_subtotal or 0 for c in redeemed),
        by_audience=_by_audience(session, campaign, coupons),
    )


def _by_audience(session: Session, campaign: Campaign, coupons: Sequence[Coupon]) -> AudienceSplit | None:
    """A targeted campaign's claims, redemptions and revenue from the segment's members (as of now)
    and from others (who left the segment, or switched personalised marketing off, since claiming)."""
    segment_id = campaign.audience_segment_id
    if segment_id is None:
        return None
    members = members_among(session, segment_id, {c.customer_id for c in coupons})

    def figures(group: list[Coupon]) -> AudienceFigures:
        redeemed = [c for c in group if c.status == CouponStatus.REDEEMED.value]
        return AudienceFigures(
            claimed=len(group),
            redeemed=len(redeemed),
            revenue=sum((c.order_paid or 0) - c.order_refunded for c in redeemed),
        )

    return AudienceSplit(
        segment_id=segment_id,
        members=figures([c for c in coupons if c.customer_id in members]),
        others=figures([c for c in coupons if c.customer_id not in members]),
    )
