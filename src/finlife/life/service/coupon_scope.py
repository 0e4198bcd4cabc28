"""Where each coupon in the customer's wallet can be used, in words they know: the stores by name,
the merchant, a business district, store categories, or every store of the bank's partners."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from finlife.kit.errors import NotFound
from finlife.marketing import service as marketing
from finlife.marketing.schemas import CouponOut
from finlife.merchants import service as merchants

STORES_NAMED = 3  # more than this: the first few and how many in all


@dataclass(frozen=True)
class Scope:
    kind: str  # stores | merchant | district | categories | everywhere
    names: tuple[str, ...]  # store, merchant or district names; category codes (for the catalogue)
    more: int  # stores not named


def _merchant_name(session: Session, merchant_id: str) -> str:
    try:
        return merchants.merchant_facts(session, merchant_id).legal_name
    except NotFound:
        return ""


def coupon_scopes(session: Session, coupons: list[CouponOut]) -> dict[str, Scope]:
    """Each coupon's scope (by coupon id)."""
    store_ids = sorted({s for c in coupons for s in (c.store_ids or [])})
    stores = {s.id: s.name for s in merchants.stores_for_discovery(session, store_ids)} if store_ids else {}
    scopes: dict[str, Scope] = {}
    for c in coupons:
        if c.store_ids:
            named = [stores[s] for s in c.store_ids if s in stores]
            shown = tuple(named[:STORES_NAMED])
            scopes[c.id] = Scope("stores", shown, len(named) - len(shown))
        elif c.merchant_ids or c.merchant_id:
            ids = c.merchant_ids or [c.merchant_id or ""]
            scopes[c.id] = Scope(
                "merchant", tuple(n for n in (_merchant_name(session, m) for m in ids) if n), 0
            )
        elif c.district_id:
            try:
                name = marketing.get_district(session, c.district_id).name
            except NotFound:
                name = ""
            scopes[c.id] = Scope("district", (name,), 0)
        elif c.categories:
            scopes[c.id] = Scope("categories", tuple(c.categories), 0)
        else:
            scopes[c.id] = Scope("everywhere", (), 0)
    return scopes
