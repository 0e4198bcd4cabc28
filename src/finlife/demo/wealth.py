"""The demo's money-market fund: the bank lists one, publishes its yield every business day of the
history, and every merchant's settlement account and a third of the app's customers sweep into it.

Each evening the merchants' takings of the day before are settled into their settlement accounts
(``finlife settle``, T+1); then on a business day the sweep runs (the balance above what each account
keeps goes into the fund) and the day's income is paid as units, as ``finlife wealth sweep`` and
``finlife wealth income`` do in a bank. A payment that needs more than an account holds redeems from
its fund first (the ledger's top-up provider, registered here as the app registers it).

Like every demo step it finds what an interrupted run made: the fund by its code, a yield by its
day, a sweep by its account; the sweep and the income are idempotent by day themselves.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.demo import steps
from finlife.demo.common import Person, customer_actor, freeze_at
from finlife.demo.marketing import owner_of
from finlife.demo.merchants import Town
from finlife.kit.auth import Actor, Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.merchants import service as merchants
from finlife.settings import Settings
from finlife.settlement import service as settlement
from finlife.wealth import service as wealth
from finlife.wealth.errors import YieldAlreadyPublished

FUND_CODE = "FLMMF1"
FUND_NAME = "好收益货币基金"
OWNER_KEEP = 500_00  # a shop keeps 500.00 in its settlement account for refunds
CUSTOMER_KEEP = 2_000_00
SWEEPING_EVERY = 3  # every third customer of the app (the demo's own sign-in, the first, among them)
PER_10K = (4200, 5400)  # a day's income per 10,000 units, in ten-thousandths of a yuan
BANK = Actor.system()
EVENING = time(20, 0)  # after the shops close and the day's trading is booked


def open_fund(database: Database) -> str:
    """The demo's fund (made once), with sweep-back redemptions switched on for this process."""
    ledger.register_top_up_provider(wealth.cover_shortfall)
    with database.unit_of_work() as session:
        for fund in wealth.list_funds(session):
            if fund.code == FUND_CODE:
                return fund.id
        return wealth.create_fund(session, BANK, code=FUND_CODE, name=FUND_NAME, currency="CNY").id


def switch_on_sweeps(database: Database, fund_id: str, town: Town, people: list[Person]) -> int:
    """Every shop's settlement account and every third app customer's Class I account sweep; returns
    how many accounts sweep."""
    swept = 0
    with database.unit_of_work() as session:
        for shop in town.shops:
            account_id = merchants.merchant_facts(session, shop.merchant_id).settlement_account_id
            owner = owner_of(session, shop)
            owner = Actor(
                channel=owner.channel,
                user_id=owner.user_id,
                username=owner.username,
                roles=owner.roles | {Role.CUSTOMER},
                customer_id=accounts.account_facts(session, account_id).customer_id,
            )
            swept += _switch_on(session, owner, account_id, fund_id, OWNER_KEEP)
        app_users = [person for person in people if person.user_id is not None]
        for person in app_users[::SWEEPING_EVERY]:
            swept += _switch_on(session, customer_actor(person), person.class_i, fund_id, CUSTOMER_KEEP)
    return swept


def _switch_on(session: Session, actor: Actor, account_id: str, fund_id: str, keep: int) -> int:
    if wealth.find_sweep(session, actor, account_id) is None:
        wealth.set_sweep(session, actor, account_id, fund_id=fund_id, keep=keep)
    return 1


def per_10k(seed: int, day: date) -> Decimal:
    """The fund's income per 10,000 units on ``day``, drawn from the day's own sequence."""
    return Decimal(steps.step_rng(seed, "fund", day.isoformat()).randint(*PER_10K)) / 10000


def seven_day_yield(seed: int, day: date) -> Decimal:
    """The 7-day annualised yield (%): the mean income per 10,000 of the day and the six before it,
    times 365 days, over 10,000 units, in per cent."""
    week = [per_10k(seed, date.fromordinal(day.toordinal() - back)) for back in range(7)]
    return (sum(week, Decimal(0)) / 7 * 365 / 100).quantize(Decimal("0.0001"))


def wealth_day(database: Database, settings: Settings, seed: int, fund_id: str, day: date) -> bool:
    """The evening of ``day``: the merchants' takings settled through the day before (T+1), then on
    a business day the fund's yield published, the sweep run and the income paid. False on a day
    that is not a business day (settled, but nothing published or swept)."""
    freeze_at(day, EVENING)
    with database.unit_of_work() as session:  # a second run of a day settles nothing again
        settlement.settle_day(session, settings, BANK, day - timedelta(days=1))
    if not wealth.is_business_day(day):
        return False
    # A yield published before an interruption stays as it was.
    with database.unit_of_work() as session, suppress(YieldAlreadyPublished):
        wealth.publish_yield(
            session,
            BANK,
            fund_id,
            day=day,
            per_10k=per_10k(seed, day),
            seven_day=seven_day_yield(seed, day),
        )
    wealth.sweep(database, BANK, day)
    wealth.distribute(database, BANK, day)
    return True
