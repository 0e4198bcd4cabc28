"""The sweep: an account's balance above what it keeps goes into its fund every business day.

``finlife wealth sweep`` (after ``finlife settle``) first pays the normal redemptions due, then
sweeps accounts in batches of ``BATCH``, each batch one unit of work: the accounts locked in id
order, one balanced entry per fund (debit each account, credit custody), the holdings' units, an
order and a ``wealth.subscribed`` event per account swept, and each sweep marked swept for the day
(``swept_on``). Running it again, or after a crash, sweeps only what is not yet swept that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy import func, or_, select, text, update
from sqlalchemy.orm import Session

from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database, defer_insert, dialect_insert_for, table_of
from finlife.kit.ids import new_id
from finlife.kit.pipeline import is_postgresql
from finlife.ledger import service as ledger
from finlife.ledger.schemas import Line
from finlife.wealth.calendar import is_business_day
from finlife.wealth.models import Fund, Holding, Order, Sweep
from finlife.wealth.orders import SUBSCRIPTION, pay_arrivals

_sweeps = table_of(Sweep)
_holdings = table_of(Holding)
_orders = table_of(Order)
BATCH = 1000
Progress = Callable[[int, int], None]


def _due(day: date):  # type: ignore[no-untyped-def]
    return or_(_sweeps.c.swept_on.is_(None), _sweeps.c.swept_on < day)


def sweeps_due(session: Session, day: date) -> int:
    return int(session.execute(select(func.count()).where(_due(day))).scalar_one())


def sweep_batch(session: Session, actor: Actor, day: date, after: int) -> tuple[int, int, int]:
    """Sweep the next batch after sweep id ``after``: (last sweep id, accounts seen, amount swept)."""
    rows = session.execute(
        select(
            _sweeps.c.id,
            _sweeps.c.account_id,
            _sweeps.c.ledger_account_id,
            _sweeps.c.customer_id,
            _sweeps.c.fund_pk,
            _sweeps.c.keep,
        )
        .where(_due(day), _sweeps.c.id > after)
        .order_by(_sweeps.c.id)
        .limit(BATCH)
    ).all()
    if not rows:
        return after, 0, 0
    locked = ledger.lock_accounts(session, [row.ledger_account_id for row in rows])
    by_fund: dict[int, list[tuple[str, str, str, int]]] = defaultdict(list)
    for row in rows:
        account = locked[row.ledger_account_id]
        amount = account.normal() - account.held - row.keep
        if amount > 0:
            by_fund[row.fund_pk].append((row.account_id, row.ledger_account_id, row.customer_id, amount))
    swept = 0
    for fund_pk, moves in by_fund.items():
        swept += _sweep_into(session, actor, session.get_one(Fund, fund_pk), moves, day)
    session.execute(update(_sweeps).where(_sweeps.c.id.in_([row.id for row in rows])).values(swept_on=day))
    return rows[-1].id, len(rows), swept


def _sweep_into(
    session: Session, actor: Actor, fund: Fund, moves: list[tuple[str, str, str, int]], day: date
) -> int:
    total = sum(amount for *_, amount in moves)
    lines = [Line(lac, amount, fund.currency) for _, lac, _, amount in moves]
    lines.append(Line(fund.custody_account_id, -total, fund.currency))
    ledger.post(
        session,
        actor,
        kind=SUBSCRIPTION,
        lines=lines,
        memo=f"{fund.name} sweep {day.isoformat()}",
        details={"fund": fund.public_id, "sweep": day.isoformat(), "accounts": len(moves)},
        hot=(fund.custody_account_id,),
    )
    now = clock.now()
    holding_pks = _add_units(session, fund, moves, now)
    for account, _, _, amount in moves:
        public_id = new_id("wor")
        # Append-only rows: queued, and written with the batch's events in one statement per table.
        defer_insert(
            session,
            _orders,
            {
                "public_id": public_id,
                "fund_pk": fund.id,
                "holding_pk": holding_pks[account],
                "kind": "subscription",
                "speed": None,
                "reason": "sweep",
                "amount": amount,
                "status": "done",
                "arrives_on": None,
                "created_at": now,
            },
        )
        outbox.publish(
            session,
            "wealth.subscribed",
            {
                "order_id": public_id,
                "account_id": account,
                "fund_id": fund.public_id,
                "amount": amount,
                "reason": "sweep",
                "date": day.isoformat(),
            },
            channel=actor.channel.value,
        )
    return total


# One statement for a batch's holdings on PostgreSQL: the rows from arrays, their ids returned.
_ADD_UNITS_SQL = text(
    "INSERT INTO wealth_holdings (fund_pk, account_id, customer_id, units, created_at)"
    " SELECT :fund_pk, a, c, u, :now FROM unnest(CAST(:accounts AS text[]), CAST(:customers AS text[]),"
    " CAST(:units AS bigint[])) AS moved (a, c, u)"
    " ON CONFLICT (fund_pk, account_id) DO UPDATE SET units = wealth_holdings.units + EXCLUDED.units"
    " RETURNING account_id, id"
)


def _add_units(
    session: Session, fund: Fund, moves: list[tuple[str, str, str, int]], now: datetime
) -> dict[str, int]:
    """Each account's units raised by what it swept (its holding created if new): account → holding pk."""
    if is_postgresql(session):
        rows = session.execute(
            _ADD_UNITS_SQL,
            {
                "fund_pk": fund.id,
                "now": now,
                "accounts": [m[0] for m in moves],
                "customers": [m[2] for m in moves],
                "units": [m[3] for m in moves],
            },
        ).all()
        return {row.account_id: row.id for row in rows}
    insert = dialect_insert_for(session)(_holdings)
    upsert = insert.on_conflict_do_update(
        index_elements=["fund_pk", "account_id"], set_={"units": _holdings.c.units + insert.excluded.units}
    )
    session.execute(
        upsert,
        [
            {
                "fund_pk": fund.id,
                "account_id": account,
                "customer_id": customer,
                "units": amount,
                "created_at": now,
            }
            for account, _, customer, amount in moves
        ],
    )
    found = session.execute(
        select(_holdings.c.account_id, _holdings.c.id).where(
            _holdings.c.fund_pk == fund.id, _holdings.c.account_id.in_([m[0] for m in moves])
        )
    ).all()
    return {row.account_id: row.id for row in found}


def run(
    database: Database, actor: Actor, day: date | None = None, progress: Progress | None = None
) -> tuple[date, int, int]:
    """Pay due normal redemptions, then sweep every account due; (day, accounts seen, amount swept).
    A day that is not a business day sweeps nothing."""
    day = day or clock.business_day()
    with database.unit_of_work() as session:
        pay_arrivals(session, actor, day)
        total = sweeps_due(session, day) if is_business_day(day) else 0
    seen = swept = 0
    after = 0
    while seen < total:
        with database.unit_of_work() as session:
            after, count, amount = sweep_batch(session, actor, day, after)
        if not count:
            break
        seen += count
        swept += amount
        if progress is not None:
            progress(seen, total)
    return day, seen, swept
