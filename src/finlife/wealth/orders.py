"""Subscriptions and redemptions through the ledger, and the sweep-back a short debit asks for.

Entries (custody is a liability: what the fund owes its investors, always the sum of the units):
- subscription: debit the deposit account, credit custody;
- fast (T+0) redemption: debit custody, credit the deposit account, within the day's limit;
- normal redemption: debit custody, credit redemptions payable; on the next business day
  (``pay_arrivals``) debit payable, credit the deposit account.
The custody account is hot (``ledger.post(hot=…)``): raised without a lock, lowered after the
deposit account is locked, so concurrent orders and payments lock in one order.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.ledger import service as ledger
from finlife.wealth.calendar import next_business_day
from finlife.wealth.errors import FastRedemptionLimitExceeded, UnitsInsufficient
from finlife.wealth.funds import find_fund
from finlife.wealth.holdings import (
    FAST_DAILY_LIMIT,
    change_units,
    count_fast,
    fast_remaining,
    locked_holding,
    owned_account,
    record_order,
)
from finlife.wealth.models import Fund, Holding, Order, Sweep
from finlife.wealth.schemas import OrderOut, Speed

_orders = table_of(Order)
_holdings = table_of(Holding)
SUBSCRIPTION = "wealth.subscription"
REDEMPTION = "wealth.redemption"


def subscribe(session: Session, actor: Actor, fund_id: str, *, account_id: str, amount: int) -> OrderOut:
    """Buy units with the account's money: 1 fen buys 1 fen-unit (units are worth 1.00 each)."""
    fund = find_fund(session, fund_id)
    facts = owned_account(session, actor, account_id, fund)
    ledger.lock_accounts(session, [facts.ledger_account_id])
    holding = locked_holding(session, fund, facts.id, facts.customer_id, create=True)
    assert holding is not None
    ledger.post_pair(
        session,
        actor,
        debit=facts.ledger_account_id,
        credit=fund.custody_account_id,
        amount=amount,
        currency=fund.currency,
        kind=SUBSCRIPTION,
        memo=fund.name,
        details={"account": facts.id, "fund": fund.public_id},
        hot=(fund.custody_account_id,),
    )
    units = change_units(session, holding[0], amount)
    return record_order(
        session,
        actor,
        fund,
        holding_pk=holding[0],
        account_id=facts.id,
        kind="subscription",
        speed=None,
        reason="request",
        amount=amount,
        units_after=units,
    )


def redeem(
    session: Session, actor: Actor, fund_id: str, *, account_id: str, amount: int, speed: Speed
) -> OrderOut:
    """Sell units back: fast arrives now (within the day's 10,000.00 CNY), normal the next business day."""
    fund = find_fund(session, fund_id)
    facts = owned_account(session, actor, account_id, fund)
    ledger.lock_accounts(session, [facts.ledger_account_id])
    holding = locked_holding(session, fund, facts.id, facts.customer_id, create=False)
    held = holding[1] if holding is not None else 0
    if holding is None or held < amount:
        raise UnitsInsufficient(held, fund.currency)
    arrives_on: date | None = None
    if speed is Speed.FAST:
        if count_fast(session, facts.customer_id, fund.id, amount) is None:
            remaining = fast_remaining(session, facts.customer_id, fund.id, clock.business_day())
            raise FastRedemptionLimitExceeded(FAST_DAILY_LIMIT, remaining, fund.currency)
        credit = facts.ledger_account_id
    else:
        arrives_on = next_business_day(clock.business_day())
        credit = fund.payable_account_id
    ledger.post_pair(
        session,
        actor,
        debit=fund.custody_account_id,
        credit=credit,
        amount=amount,
        currency=fund.currency,
        kind=REDEMPTION,
        memo=fund.name,
        details={"account": facts.id, "fund": fund.public_id, "speed": speed.value},
        hot=(fund.custody_account_id,),
    )
    units = change_units(session, holding[0], -amount)
    return record_order(
        session,
        actor,
        fund,
        holding_pk=holding[0],
        account_id=facts.id,
        kind="redemption",
        speed=speed,
        reason="request",
        amount=amount,
        units_after=units,
        arrives_on=arrives_on,
    )


def cover_shortfall(
    session: Session, actor: Actor, ledger_account_id: str, shortfall: int, kind: str
) -> bool:
    """The ledger's top-up provider: a swept account short of ``shortfall`` for a payment, refund or
    transfer gets it back from its fund at once (T+0, within the day's limit), in the same unit of
    work as the debit. The ledger has locked the account already, so two debits of one account take
    their turns and each redeems only what its own shortfall needs."""
    if kind.startswith("wealth."):  # a subscription never buys units by selling units
        return False
    sweep = session.execute(
        select(Sweep.account_id, Sweep.customer_id, Sweep.fund_pk).where(
            Sweep.ledger_account_id == ledger_account_id
        )
    ).first()
    if sweep is None:
        return False
    fund = session.get_one(Fund, sweep.fund_pk)
    holding = locked_holding(session, fund, sweep.account_id, sweep.customer_id, create=False)
    if holding is None or holding[1] < shortfall:
        return False
    if count_fast(session, sweep.customer_id, fund.id, shortfall) is None:
        return False
    ledger.post_pair(
        session,
        actor,
        debit=fund.custody_account_id,
        credit=ledger_account_id,
        amount=shortfall,
        currency=fund.currency,
        kind=REDEMPTION,
        memo=fund.name,
        details={"account": sweep.account_id, "fund": fund.public_id, "speed": "fast", "for": kind},
        hot=(fund.custody_account_id,),
    )
    units = change_units(session, holding[0], -shortfall)
    record_order(
        session,
        actor,
        fund,
        holding_pk=holding[0],
        account_id=sweep.account_id,
        kind="redemption",
        speed=Speed.FAST,
        reason="sweep_back",
        amount=shortfall,
        units_after=units,
    )
    return True


def pay_arrivals(session: Session, actor: Actor, day: date) -> int:
    """Credit every normal redemption due on or before ``day``; returns how many arrived.
    Idempotent: an order is paid once (its status changes in the same unit of work)."""
    due = session.execute(
        select(_orders.c.id, _orders.c.public_id, _orders.c.amount, _orders.c.fund_pk, _holdings.c.account_id)
        .join(_holdings, _holdings.c.id == _orders.c.holding_pk)
        .where(_orders.c.status == "pending", _orders.c.arrives_on <= day)
        .order_by(_orders.c.id)
    ).all()
    for order in due:
        fund = session.get_one(Fund, order.fund_pk)
        facts = accounts.account_facts(session, order.account_id)
        ledger.post_pair(
            session,
            actor,
            debit=fund.payable_account_id,
            credit=facts.ledger_account_id,
            amount=order.amount,
            currency=fund.currency,
            kind="wealth.redemption_arrival",
            memo=fund.name,
            details={"account": facts.id, "fund": fund.public_id, "order": order.public_id},
        )
        session.execute(update(_orders).where(_orders.c.id == order.id).values(status="done"))
        outbox.publish(
            session,
            "wealth.redemption_arrived",
            {
                "order_id": order.public_id,
                "account_id": facts.id,
                "fund_id": fund.public_id,
                "amount": order.amount,
                "date": day.isoformat(),
            },
            channel=actor.channel.value,
        )
    return len(due)
