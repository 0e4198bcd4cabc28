"""Holdings and orders, written with Core statements: a holding's units change only under its row
lock, taken after the deposit account's ledger lock (the order every path keeps, so none deadlock)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.errors import AccountNotActive
from finlife.accounts.schemas import AccountStatus
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, increment_counter, insert_if_absent, table_of
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.wealth.errors import FundCurrencyMismatch
from finlife.wealth.models import FastRedemptionUsage, Fund, Holding, Order
from finlife.wealth.schemas import OrderOut, Speed

_holdings = table_of(Holding)
_orders = table_of(Order)
_usage = table_of(FastRedemptionUsage)

# The 2018 CSRC/PBoC rule on money-market funds: T+0 redemptions of at most 10,000.00 CNY per
# investor, per fund, per (Asia/Shanghai) day. A regulator's figure, not a bank's setting.
FAST_DAILY_LIMIT = 1_000_000


def owned_account(session: Session, actor: Actor, account_id: str, fund: Fund) -> accounts.AccountFacts:
    """The actor's own active account in the fund's currency; anyone else's is not found."""
    facts = accounts.account_facts(session, account_id)
    if actor.customer_id is None or actor.customer_id != facts.customer_id:
        raise NotFound("account")
    if facts.status != AccountStatus.ACTIVE:
        raise AccountNotActive()
    if facts.currency != fund.currency:
        raise FundCurrencyMismatch(fund.currency)
    return facts


def locked_holding(
    session: Session, fund: Fund, account_id: str, customer_id: str, *, create: bool
) -> tuple[int, int] | None:
    """(holding pk, units) with the row locked; created at zero units when ``create``."""
    if create:
        insert_if_absent(
            session,
            _holdings,
            {
                "fund_pk": fund.id,
                "account_id": account_id,
                "customer_id": customer_id,
                "units": 0,
                "created_at": clock.now(),
            },
            conflict_columns=["fund_pk", "account_id"],
        )
    row = session.execute(
        for_update(
            select(_holdings.c.id, _holdings.c.units).where(
                _holdings.c.fund_pk == fund.id, _holdings.c.account_id == account_id
            )
        )
    ).first()
    return (int(row.id), int(row.units)) if row is not None else None


def change_units(session: Session, holding_pk: int, delta: int) -> int:
    units: int = session.execute(
        update(_holdings)
        .where(_holdings.c.id == holding_pk)
        .values(units=_holdings.c.units + delta)
        .returning(_holdings.c.units)
    ).scalar_one()
    return units


def fast_remaining(session: Session, customer_id: str, fund_pk: int, day: date) -> int:
    used = session.execute(
        select(_usage.c.used).where(
            _usage.c.customer_id == customer_id, _usage.c.fund_pk == fund_pk, _usage.c.day == day
        )
    ).scalar_one_or_none()
    return max(FAST_DAILY_LIMIT - int(used or 0), 0)


def count_fast(session: Session, customer_id: str, fund_pk: int, amount: int) -> int | None:
    """Count a T+0 redemption against today's limit (one atomic upsert, so racing redemptions cannot
    both fit); None, with nothing counted, when it does not fit, else what is left today."""
    keys = {"customer_id": customer_id, "fund_pk": fund_pk, "day": clock.business_day()}
    used = increment_counter(session, _usage, keys=keys, column="used", amount=amount)
    if used > FAST_DAILY_LIMIT:
        increment_counter(session, _usage, keys=keys, column="used", amount=-amount)
        return None
    return FAST_DAILY_LIMIT - used


def record_order(
    session: Session,
    actor: Actor,
    fund: Fund,
    *,
    holding_pk: int,
    account_id: str,
    kind: str,
    speed: Speed | None,
    reason: str,
    amount: int,
    units_after: int,
    arrives_on: date | None = None,
) -> OrderOut:
    """The order row and its event (``wealth.subscribed`` / ``wealth.redeemed``)."""
    now = clock.now()
    status = "pending" if arrives_on is not None else "done"
    public_id = new_id("wor")
    session.execute(
        _orders.insert().values(
            public_id=public_id,
            fund_pk=fund.id,
            holding_pk=holding_pk,
            kind=kind,
            speed=speed.value if speed else None,
            reason=reason,
            amount=amount,
            status=status,
            arrives_on=arrives_on,
            created_at=now,
        )
    )
    payload: dict[str, Any] = {
        "order_id": public_id,
        "account_id": account_id,
        "fund_id": fund.public_id,
        "amount": amount,
        "reason": reason,
        "date": clock.business_day(now).isoformat(),
    }
    if speed is not None:
        payload |= {"speed": speed.value, "arrives_on": arrives_on.isoformat() if arrives_on else None}
    event = "wealth.subscribed" if kind == "subscription" else "wealth.redeemed"
    outbox.publish(session, event, payload, channel=actor.channel.value)
    return OrderOut(
        id=public_id,
        fund_id=fund.public_id,
        account_id=account_id,
        kind=kind,
        speed=speed,
        amount=amount,
        status=status,
        arrives_on=arrives_on,
        units_after=units_after,
        created_at=now,
    )
