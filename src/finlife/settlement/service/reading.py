"""Settlement statements for bank staff (every merchant) and a merchant's owner (their own)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import Forbidden
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.kit.permissions import Capability, require
from finlife.merchants import service as merchants
from finlife.settlement.models import Settlement
from finlife.settlement.schemas import SettlementOut, TenderTotals

READERS = frozenset({"owner", "staff"})  # a merchant's cashiers see no money totals


def settlement_out(row: Settlement) -> SettlementOut:
    return SettlementOut(
        id=row.public_id,
        merchant_id=row.merchant_id,
        business_date=row.business_date,
        currency=row.currency,
        gross=row.gross,
        refunds=row.refunds,
        fees=row.fees,
        carried_in_pending=row.carried_in_pending,
        carried_in_fees=row.carried_in_fees,
        settled=row.settled,
        fees_charged=row.fees_charged,
        net=row.net,
        carried_out_pending=row.carried_out_pending,
        carried_out_fees=row.carried_out_fees,
        cash_gross=row.cash_gross,
        cash_refunds=row.cash_refunds,
        tenders=[TenderTotals.model_validate(line) for line in row.tenders],
        settlement_account_id=row.settlement_account_id,
        entry_id=row.entry_id,
        created_at=row.created_at,
    )


def _page(session: Session, stmt: Select[Any], params: PageParams) -> Page[SettlementOut]:
    rows, has_more = paginate(
        session, stmt, id_column=Settlement.id, public_id_column=Settlement.public_id, params=params
    )
    return Page[SettlementOut](data=[settlement_out(row) for row in rows], has_more=has_more)


def list_settlements(
    session: Session, actor: Actor, params: PageParams, *, business_date: date | None = None
) -> Page[SettlementOut]:
    """Every merchant's statements, newest first, optionally of one business day (bank staff only)."""
    require(actor, Capability.SETTLEMENT)
    stmt = select(Settlement)
    if business_date is not None:
        stmt = stmt.where(Settlement.business_date == business_date)
    return _page(session, stmt, params)


def merchant_access_to_money(session: Session, actor: Actor, merchant_id: str) -> str:
    """The merchant's id if the actor is its owner or bank staff; 403 to its cashiers, 404 to others."""
    access = merchants.merchant_access(session, actor, merchant_id)
    if access.role not in READERS:
        raise Forbidden()
    return access.merchant_id


def merchant_settlements(
    session: Session, actor: Actor, merchant_id: str, params: PageParams
) -> Page[SettlementOut]:
    """One merchant's statements, newest first, for its owner and bank staff."""
    merchant_id = merchant_access_to_money(session, actor, merchant_id)
    return _page(session, select(Settlement).where(Settlement.merchant_id == merchant_id), params)


def settled_by_day(session: Session, merchant_id: str, first: date, last: date) -> list[tuple[date, int]]:
    """What each business day from ``first`` to ``last`` (included) paid into the merchant's settlement
    account (the statements' ``net``), oldest first; days without a statement are absent (no access
    check: the credit-from-takings rule reads it)."""
    rows = session.execute(
        select(Settlement.business_date, Settlement.net)
        .where(
            Settlement.merchant_id == merchant_id,
            Settlement.business_date >= first,
            Settlement.business_date <= last,
        )
        .order_by(Settlement.business_date)
    ).all()
    return [(day, net) for day, net in rows]
