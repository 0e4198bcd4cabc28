"""Who may read and write a merchant's books.

The owner reads and writes their own merchant's books; bank staff who serve merchants read them;
a cashier gets 403 (no money totals); anyone else, another merchant's people included, gets 404.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import Forbidden
from finlife.kit.permissions import Capability, may
from finlife.merchants import service as merchants
from finlife.merchants.schemas import MemberRole

STAFF = "staff"  # merchants' MerchantAccess.role of bank staff reading


def reader(session: Session, actor: Actor, merchant_id: str) -> str:
    """The merchant's id if the actor may read its books."""
    access = merchants.merchant_access(session, actor, merchant_id)
    if access.role == MemberRole.OWNER or (access.role == STAFF and may(actor, Capability.MERCHANT_BOOKS)):
        return access.merchant_id
    raise Forbidden()


def writer(session: Session, actor: Actor, merchant_id: str) -> str:
    """The merchant's id if the actor is its owner and the merchant is active (403 / 409 otherwise)."""
    return merchants.merchant_access(session, actor, merchant_id, manage=True).merchant_id
