"""A settlement run: every merchant with takings, one after the other, and the run's totals.

The API runs the whole day in its request's unit of work; the CLI and the bank's settle page give
each merchant its own transaction (``merchants_to_settle`` then ``settle_one_by_one``) to show
progress and to keep locks short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor, Role
from finlife.kit.db import Database
from finlife.payments import service as payments
from finlife.settings import Settings
from finlife.settlement.models import SettlementCursor
from finlife.settlement.schemas import SettlementOut, SettlementRunOut
from finlife.settlement.service.booking import settle_merchant
from finlife.settlement.service.calendar import day_bounds, latest_settleable, settleable
from finlife.settlement.service.interbank import settle_interbank


def merchants_to_settle(
    session: Session, settings: Settings, business_date: date | None
) -> tuple[date, list[str]]:
    """The day to settle (checked against the T+1 lag, 422 settlement_day_open) and every merchant that
    took money up to its end, in id order (the order runs lock them in, so they never deadlock)."""
    day = settleable(settings, business_date)
    return day, payments.merchants_with_takings(session, until=day_bounds(day)[1])


def merchants_awaiting(session: Session, settings: Settings, business_date: date) -> int:
    """How many merchants a run for ``business_date`` would still settle: those with takings up to its
    end that no run has settled through it. 0 while the day may not be settled yet."""
    if business_date > latest_settleable(settings):
        return 0
    with_takings = payments.merchants_with_takings(session, until=day_bounds(business_date)[1])
    settled = select(SettlementCursor.merchant_id).where(SettlementCursor.settled_through >= business_date)
    return len(set(with_takings) - set(session.execute(settled).scalars()))


def settle_one_by_one(
    database: Database,
    actor: Actor,
    business_date: date,
    merchant_ids: list[str],
    progress: Callable[[int, int], None] | None = None,
) -> list[tuple[str, list[SettlementOut] | None]]:
    """``settle_merchant`` for each merchant in a transaction of its own, telling ``progress(done,
    total)`` after each: a merchant that fails stops the run and leaves those before it settled."""
    outcomes = []
    for done, merchant_id in enumerate(merchant_ids, start=1):
        with database.unit_of_work() as session:
            outcomes.append((merchant_id, settle_merchant(session, actor, merchant_id, business_date)))
        if progress is not None:
            progress(done, len(merchant_ids))
    return outcomes


def summarise(
    business_date: date, outcomes: Iterable[tuple[str, list[SettlementOut] | None]]
) -> SettlementRunOut:
    """The run's totals from each merchant's outcome (None: held, see settle_merchant)."""
    summary = SettlementRunOut(
        business_date=business_date,
        merchants_settled=0,
        statements=0,
        gross=0,
        refunds=0,
        fees_charged=0,
        net=0,
        cash_gross=0,
        held=[],
    )
    for merchant_id, statements in outcomes:
        if statements is None:
            summary.held.append(merchant_id)
            continue
        summary.merchants_settled += bool(statements)
        summary.statements += len(statements)
        for statement in statements:
            summary.gross += statement.gross
            summary.refunds += statement.refunds
            summary.fees_charged += statement.fees_charged
            summary.net += statement.net
            summary.cash_gross += statement.cash_gross
    return summary


def settle_day(
    session: Session,
    settings: Settings,
    actor: Actor,
    business_date: date | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> SettlementRunOut:
    """Settle every merchant's business days up to ``business_date`` (default: today − lag), then
    each other bank's net position of that day, once: a second run of the same day moves nothing
    (bank admin or finlife itself)."""
    actor.require(Role.BANK_ADMIN)
    day, merchant_ids = merchants_to_settle(session, settings, business_date)
    outcomes = []
    for merchant_id in merchant_ids:
        outcomes.append((merchant_id, settle_merchant(session, actor, merchant_id, day)))
        if progress is not None:
            progress(merchant_id)
    summary = summarise(day, outcomes)
    summary.interbank = settle_interbank(session, actor, day)
    return summary
