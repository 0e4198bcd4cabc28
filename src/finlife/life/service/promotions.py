"""The live coupons shown on stores, and the funnel steps a signed-in customer takes in the Life channel.

Each request asks marketing for the live campaigns once, for all the stores it shows. Only customers'
steps are funnel events: a visitor without a login or a member of staff looking around is not a
customer moving through the loop.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.life.schemas import DiscoveredStoreOut
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants


def coupons_at(
    session: Session, store_ids: list[str], *, loaded: list[merchants.DiscoveryStore] | None = None
) -> dict[str, list[str]]:
    """The live campaigns whose coupons apply at each store (every store asked for is a key);
    ``loaded``: those stores as the caller already read them, so marketing need not read them again."""
    found: dict[str, list[str]] = {store_id: [] for store_id in store_ids}
    if not found:
        return found
    for live in marketing.live_coupons(session, store_ids=list(found), among=loaded):
        for store_id in live.store_ids:
            if store_id in found:
                found[store_id].append(live.campaign_id)
    return found


def with_coupons(
    session: Session,
    stores: list[DiscoveredStoreOut],
    *,
    loaded: list[merchants.DiscoveryStore] | None = None,
) -> list[DiscoveredStoreOut]:
    """The stores, each carrying the live campaigns that apply there."""
    coupons = coupons_at(session, [store.store_id for store in stores], loaded=loaded)
    return [store.model_copy(update={"coupons": coupons[store.store_id]}) for store in stores]


def record_customer_step(
    session: Session, actor: Actor | None, step: str, campaign_ids: Iterable[str], *, store_id: str | None
) -> None:
    """A funnel event per campaign, when a signed-in customer takes the step."""
    if actor is None or actor.customer_id is None:
        return
    campaigns = list(campaign_ids)
    if campaigns:
        marketing.record_step(session, actor, step, campaigns, store_id=store_id)


def stores_with_step(
    session: Session,
    actor: Actor | None,
    step: str,
    stores: list[DiscoveredStoreOut],
    *,
    store_id: str | None,
    loaded: list[merchants.DiscoveryStore] | None = None,
) -> list[DiscoveredStoreOut]:
    """The stores with their coupons; the customer's step recorded for every campaign among them."""
    shown = with_coupons(session, stores, loaded=loaded)
    campaigns = [campaign for store in shown for campaign in store.coupons]
    record_customer_step(session, actor, step, campaigns, store_id=store_id)
    return shown
