"""The recommendations module's public face: what a signed-in customer is recommended, and why.

Rules (also in CONTRIBUTING.md, "Recommendations"):
- **Stores**: the customer's stored top picks (see training), favourites included and marked
  (``favourite``: a store they already pay at, recommended for coming back); never a store that is
  not open now or whose merchant is not active (checked at the request: a store closed since the
  training is left out and the list filled from the baseline).
- **Coupons**: live campaigns only (approved, started, not ended or paused, stock left), never one the
  customer already holds or used a coupon of; each scored by the best of its open stores for them.
- **Personalisation**: off for a customer (PIPL Art. 24; another module decides, through the hook
  ``register_personalisation_check``), or no history of theirs: the popularity baseline, the same for
  everyone, with ``personalised: false``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import Forbidden
from finlife.kit.i18n import CATALOGUE, translate
from finlife.marketing import service as marketing
from finlife.merchants import service as merchants
from finlife.recommend.models import PopularStore, StorePick
from finlife.recommend.schemas import (
    CouponRecommendationOut,
    Kind,
    RecommendationsOut,
    StoreRecommendationOut,
)
from finlife.recommend.training import PICKS_KEPT, train

__all__ = ["PICKS_KEPT", "recommendations", "register_personalisation_check", "train"]

PersonalisationCheck = Callable[[Session, str], bool]
_checks: list[PersonalisationCheck] = []


def register_personalisation_check(check: PersonalisationCheck) -> None:
    """Ask ``check(session, customer_id)`` whether a customer allows personalised marketing (wired
    once in app.py). Without one, everyone does; with several, all must say yes."""
    if check not in _checks:
        _checks.append(check)


def personalised(session: Session, customer_id: str) -> bool:
    return all(check(session, customer_id) for check in _checks)


def recommendations(
    session: Session, actor: Actor, kind: Kind, limit: int, language: str
) -> RecommendationsOut:
    """The signed-in customer's ``limit`` best stores or coupons, each with its reason in ``language``."""
    if actor.customer_id is None:
        raise Forbidden()
    ranked: list[_Ranked] = []
    if personalised(session, actor.customer_id):
        mine = select(
            StorePick.store_id, StorePick.score, StorePick.reason, StorePick.params, StorePick.favourite
        ).where(StorePick.customer_id == actor.customer_id)
        # Plain rows, not entities: the call reads up to a hundred of them and must stay within 30 ms.
        ranked = [_Ranked(*row) for row in session.execute(mine.order_by(StorePick.rank))]
    popular = session.execute(select(PopularStore.store_id, PopularStore.score).order_by(PopularStore.rank))
    baseline = [_Ranked(store_id, score, "popular", {}, False) for store_id, score in popular]
    if kind is Kind.STORES:
        data: list[Any] = _stores(session, ranked, baseline, limit, language)
    else:
        data = _coupons(session, actor, ranked or baseline, baseline, limit, language)
    return RecommendationsOut(data=data, personalised=bool(ranked))


@dataclass(frozen=True)
class _Ranked:
    """A store ranked for the customer (or by the baseline), with its reason not yet in words."""

    store_id: str
    score: float
    reason: str
    params: dict[str, Any]
    favourite: bool


def _open_stores(session: Session, store_ids: list[str]) -> dict[str, merchants.DiscoveryStore]:
    found = merchants.stores_for_discovery(session, store_ids, where=merchants.StoreFilter())
    return {store.id: store for store in found}


def _stores(
    session: Session, ranked: list[_Ranked], baseline: list[_Ranked], limit: int, language: str
) -> list[StoreRecommendationOut]:
    """The picks still open, in order, then the baseline's to fill up to ``limit``. Open-ness is asked
    a few more than ``limit`` at a time, so a usual call loads only the stores it shows."""
    chosen: dict[str, _Ranked] = {}
    for pick in [*ranked, *baseline]:
        chosen.setdefault(pick.store_id, pick)
    order = list(chosen)
    out: list[StoreRecommendationOut] = []
    step = limit + 5
    for start in range(0, len(order), step):
        open_now = _open_stores(session, order[start : start + step])
        for store_id in order[start : start + step]:
            store = open_now.get(store_id)
            if store is None:
                continue
            pick = chosen[store_id]
            out.append(
                StoreRecommendationOut(
                    store_id=store.id,
                    name=store.name,
                    district=store.district,
                    reason=reason_words(pick.reason, pick.params, language),
                    score=round(pick.score, 4),
                    favourite=pick.favourite,
                )
            )
            if len(out) == limit:
                return out
    return out


def _coupons(
    session: Session,
    actor: Actor,
    ranked: list[_Ranked],
    baseline: list[_Ranked],
    limit: int,
    language: str,
) -> list[CouponRecommendationOut]:
    """Live campaigns the customer holds no coupon of and may claim, at the stores ranked for them or
    by popularity (at most a hundred: only those are loaded, not every open store), by the best of
    their stores for the customer; a campaign targeted at a segment they are not in is never offered."""
    by_store = {pick.store_id: pick for pick in ranked}
    candidates = list(dict.fromkeys(pick.store_id for pick in [*ranked, *baseline]))
    # Loaded once: the campaigns are matched against them and the chosen ones' names come from them.
    open_stores = merchants.stores_for_discovery(session, where=merchants.StoreFilter(store_ids=candidates))
    names = {store.id: store.name for store in open_stores}
    scored = []
    live = marketing.live_coupons(session, among=open_stores, customer_id=actor.customer_id, unheld=True)
    for campaign in live:
        stores = sorted(campaign.store_ids, key=lambda s: -by_store[s].score if s in by_store else 0.0)
        best = by_store.get(stores[0])
        score = best.score if best is not None else 0.0
        scored.append((score, campaign.campaign_id, campaign.name, stores[0], best))
    scored.sort(key=lambda item: (-item[0], item[1]))
    scored = scored[:limit]
    out = []
    for score, campaign_id, name, store_id, best in scored:
        why = (
            reason_words(best.reason, best.params, language)
            if best
            else reason_words("popular", {}, language)
        )
        store_name = names.get(store_id, "")
        out.append(
            CouponRecommendationOut(
                campaign_id=campaign_id,
                name=name,
                store_id=store_id,
                reason=translate("recommend.reason.coupon", language, {"store": store_name, "reason": why}),
                score=round(score, 4),
            )
        )
    return out


def reason_words(reason: str, params: dict[str, Any], language: str) -> str:
    """A stored reason in the customer's language (a shop's kind becomes what one does there)."""
    values = dict(params)
    if "category" in values:
        key = f"recommend.activity.{values['category']}"
        values["activity"] = translate(key if key in CATALOGUE else "recommend.activity.other", language)
    return translate(f"recommend.reason.{reason}", language, values)
