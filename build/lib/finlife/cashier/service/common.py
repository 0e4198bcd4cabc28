"""Who may sell at or read a store's orders and shifts, and the record of every change.

Sellers are the merchant's owner and the cashiers of the store; bank staff who serve merchants may
read. Anyone else gets 404 for the store and for its orders, shifts and receipts (nothing revealed).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.cashier.errors import TerminalNotInStore
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.errors import Forbidden, NotFound, Unauthenticated
from finlife.merchants import service as merchants
from finlife.merchants.errors import MerchantNotActive
from finlife.merchants.schemas import MerchantAccess, MerchantStatus, StoreOut

SELLERS = frozenset({"owner", "cashier"})


def user_of(actor: Actor) -> str:
    if actor.user_id is None:
        raise Unauthenticated()
    return actor.user_id


def seller_access(session: Session, actor: Actor, store_id: str) -> tuple[MerchantAccess, StoreOut]:
    """The store, if the actor may sell there: its merchant's owner or one of its cashiers, and the
    merchant active. Bank staff read but do not sell (403); outsiders get 404 store."""
    access, store = merchants.store_access(session, actor, store_id)
    if access.role not in SELLERS:
        raise Forbidden()
    if access.status != MerchantStatus.ACTIVE:
        raise MerchantNotActive()
    return access, store


def access_as(
    session: Session, actor: Actor, store_id: str, what: str, *, sell: bool
) -> tuple[MerchantAccess, StoreOut]:
    """store_access (or seller_access) for an object of the store: an outsider gets NotFound(what)."""
    try:
        if sell:
            return seller_access(session, actor, store_id)
        return merchants.store_access(session, actor, store_id)
    except NotFound as exc:
        raise NotFound(what) from exc


def record_change(
    session: Session, actor: Actor, event: str, *, subject_type: str, subject_id: str, facts: dict[str, Any]
) -> None:
    """Audit event and outbox event of one state change, in the change's transaction."""
    audit.record(session, actor, event, subject_type=subject_type, subject_id=subject_id, details=facts)
    outbox.publish(session, event, {f"{subject_type}_id": subject_id, **facts}, channel=actor.channel.value)


def check_terminal(session: Session, store_id: str, terminal_id: str) -> None:
    """The terminal must be bound to the store; an unknown one and another store's are the same 422."""
    try:
        terminal = merchants.terminal_facts(session, terminal_id)
    except NotFound as exc:
        raise TerminalNotInStore() from exc
    if terminal.store_id != store_id:
        raise TerminalNotInStore()
