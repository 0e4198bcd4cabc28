"""Seed a demo world through the service layer: the same rules every channel obeys.

People are Faker zh_CN customers verified at a branch with well-formed resident IDs, each with a Class
I account, some with a Class II or III e-account bound to it, and days of history (salary deposits,
transfers, e-account top-ups) booked on the days they happened. With merchants, a city of shops
(see merchants) trades with them on every one of those days (see trading).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from faker import Faker
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountClass, BoundAccountIn
from finlife.customers import service as customers
from finlife.demo import wealth as demo_wealth
from finlife.demo.audiences import AudienceCounts, seed_audiences
from finlife.demo.books import seed_books
from finlife.demo.common import (
    DEMO_CUSTOMER_PHONE,
    DEMO_PASSWORD,
    DEMO_TELLER,
    Person,
    Progress,
    deposit,
    draw_identity,
    make_person,
    new_person,
    seeding_settings,
    teller,
)
from finlife.demo.lending import seed_lending
from finlife.demo.marketing import MarketingCounts, seed_marketing
from finlife.demo.merchants import cashier_username, open_town, owner_phone
from finlife.demo.partners import PartnerCounts, seed_partners
from finlife.demo.service_cases import seed_cases
from finlife.demo.steps import history_booked, person_of, step_faker, step_rng
from finlife.demo.trading import DayCounts, business_days, trade_day
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database, savepoint
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.recommend import service as recommend
from finlife.settings import Settings


def _open_e_account(
    session: Session, settings: Settings, person: Person, account_class: AccountClass
) -> None:
    account = accounts.open_account(
        session,
        settings,
        teller(),
        customer_id=person.customer_id,
        account_class=account_class,
        bound_account=BoundAccountIn(account_id=person.class_i),
    )
    person.e_accounts.append(account.id)


def _try_transfer(
    session: Session, settings: Settings, source: str, destination: str, amount: int, memo: str
) -> None:
    try:
        with savepoint(session):
            accounts.transfer(
                session,
                settings,
                teller(),
                from_account_id=source,
                to_account_id=destination,
                amount=amount,
                currency="CNY",
                memo=memo,
            )
    except FinlifeError:
        # A refused transfer (funds, limits, a Class III e-account at its cap) is part of a real day.
        return


def _history_day(database: Database, settings: Settings, rng: random.Random, people: list[Person]) -> None:
    """One business day, in one transaction: salaries, transfers between people, e-account top-ups."""
    with database.unit_of_work() as session:
        for person in rng.sample(people, k=max(1, len(people) // 10)):
            accounts.deposit_cash(
                session,
                settings,
                teller(),
                account_id=person.class_i,
                amount=rng.randrange(300_000, 2_000_000, 100),
                currency="CNY",
            )
        for _ in range(len(people)):
            payer, payee = rng.sample(people, 2)
            memo = rng.choice(["餐费", "房租", "还款", "红包", "水电费"])
            _try_transfer(
                session, settings, payer.class_i, payee.class_i, rng.randrange(1_000, 80_000, 100), memo
            )
        for person in rng.sample(people, k=max(1, len(people) // 5)):
            if person.e_accounts:
                amount = rng.randrange(5_000, 50_000, 100)
                _try_transfer(session, settings, person.class_i, person.e_accounts[0], amount, "零钱充值")


DEFAULT_SEED = 2026  # `finlife demo`'s world; the demo page draws a seed per start and records it

# One seeding at a time across nodes (kit.leases): `finlife demo`'s and the demo page's.
DEMO_LEASE = "demo.seed"


def is_empty(database: Database) -> bool:
    """True when no customer exists yet (so ``make run`` seeds only once)."""
    with database.unit_of_work() as session:
        page = customers.search_customers(session, teller(), PageParams(limit=1))
    return not page.data


def demo_owner_login() -> str:
    """The first demo merchant's owner (a restaurant): sign in to /merchant with DEMO_PASSWORD."""
    return owner_phone(0)


def demo_cashier_login() -> str:
    """The cashier of the first demo merchant's first store."""
    return cashier_username(0, 0)


def _person(
    database: Database, settings: Settings, seed: int, faker: Faker, index: int, count: int
) -> Person:
    """The ``index``-th customer, drawn from its own sequence and made in one transaction: read back
    instead if an interrupted seeding made them (their ID number is the key)."""
    rng = step_rng(seed, "customer", index)
    phone = DEMO_CUSTOMER_PHONE if index == 0 else f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"
    name, id_number = draw_identity(rng, step_faker(faker, seed, "customer", index))
    amount = rng.randrange(500_000, 5_000_000, 100)
    e_account = rng.choice([AccountClass.II, AccountClass.III]) if rng.random() < 0.5 else None
    with database.unit_of_work() as session:
        found = person_of(session, id_number)
        if found is not None:
            return found
        # Half sign up in the app (they pay by QR and payment code), the rest are branch customers.
        login = index < max(5, count // 2)
        person = make_person(session, settings, name=name, id_number=id_number, phone=phone, login=login)
        accounts.deposit_cash(
            session, settings, teller(), account_id=person.class_i, amount=amount, currency="CNY"
        )
        if e_account is not None:
            _open_e_account(session, settings, person, e_account)
    return person


def seed_demo_world(
    database: Database,
    settings: Settings,
    *,
    customers_count: int = 60,
    merchants_count: int = 20,
    days: int = 30,
    seed: int = DEFAULT_SEED,
    until: date | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Customers with accounts, ``merchants_count`` merchants, ``days`` of history ending the business
    day before ``until`` (default: today), marketing and partners; returns what the world holds.

    The same ``seed`` and ``until`` draw the same world; what exists of it already is kept and only
    the rest is made (see steps), so a seeding interrupted part-way is finished by running it again."""
    settings = seeding_settings(settings)
    faker = Faker("zh_CN")
    tick = progress or (lambda _label, _n: None)
    with database.unit_of_work() as session:
        desk = identity.find_by_username(session, DEMO_TELLER) or identity.create_user(
            session, settings, username=DEMO_TELLER, password=DEMO_PASSWORD, roles=[Role.TELLER]
        )
    approver = Actor(
        channel=Channel.BRANCH, user_id=desk.id, username=desk.username, roles=frozenset({Role.TELLER})
    )
    # Every moment is counted from the start of the business day ``until``: the same on a run again.
    ending = until or clock.business_day(clock.now())
    today = datetime.combine(ending, time(0), tzinfo=clock.business_zone).astimezone(UTC)
    clock.freeze(today - timedelta(days=days))
    traded = DayCounts()
    promoted = MarketingCounts()
    partnered = PartnerCounts()
    cases = 0
    loans = 0
    sweeping = fund_days = 0
    audiences = AudienceCounts()
    try:
        people = []
        for index in range(customers_count):
            people.append(_person(database, settings, seed, faker, index, customers_count))
            tick("customers", 1)
        town = open_town(
            database, settings, seed, people, count=merchants_count, approver=approver, tick=tick
        )
        fund_id = demo_wealth.open_fund(database)
        sweeping = demo_wealth.switch_on_sweeps(database, fund_id, town, people)
        for number, day in enumerate(business_days(days, until=today)):
            rng = step_rng(seed, "day", number)
            clock.freeze(today - timedelta(days=days - number) + timedelta(hours=rng.randrange(1, 12)))
            with database.unit_of_work() as session:
                booked = history_booked(session, clock.now())
            if not booked:
                _history_day(database, settings, rng, people)
            traded.add(trade_day(database, settings, seed, number, town, day))
            fund_days += demo_wealth.wealth_day(database, settings, seed, fund_id, day)  # settled, swept
            tick("days", 1)
        last = business_days(days, until=today)[-1]
        promoted = seed_marketing(database, settings, step_rng(seed, "marketing"), town, last)
        # The owners' own entries of each month (sales and the rest reach the books from the events).
        seed_books(database, seed, town, business_days(days, until=today))
        clock.freeze(today)
        partnered = seed_partners(database, settings, step_rng(seed, "partners"), people, days=days)
        cases = seed_cases(
            database, settings, step_rng(seed, "cases"), people, business_days(days, until=today)
        )
        loans = seed_lending(database, settings, seed, today)
        # Opt-outs, every customer's facts, segments and a campaign for one of them (insights).
        audiences = seed_audiences(database, settings, step_rng(seed, "audiences"), town)
        with database.unit_of_work() as session:  # the customers' recommendations, learnt from all of it
            recommend.train(session)
    finally:
        clock.reset()
    stores = sum(len(shop.tills) for shop in town.shops)
    return {
        "customers": len(people),
        "merchants": len(town.shops),
        "stores": stores,
        "orders": traded.orders + promoted.redeemed,
        "refunds": traded.refunds,
        "days": days,
        "campaigns": promoted.campaigns,
        "coupons": promoted.claimed,
        "redeemed": promoted.redeemed,
        "partners": partnered.partners,
        "consents": partnered.consents,
        "partner_calls": partnered.calls,
        "webhook_deliveries": partnered.deliveries,
        "cases": cases,
        "loans": loans,
        "sweeping_accounts": sweeping,
        "fund_days": fund_days,
        "segments": audiences.segments,
        "segment_members": audiences.members,
        "opted_out": audiences.opted_out,
        "targeted_campaigns": audiences.targeted_campaigns,
        "targeted_claims": audiences.targeted_claims,
    }


def seed_funded_accounts(database: Database, settings: Settings, *, count: int, balance: int) -> list[str]:
    """``count`` verified customers with a Class I account holding ``balance`` fen (for benchmarks)."""
    return [person.class_i for person in seed_funded_people(database, settings, count=count, balance=balance)]


def seed_funded_people(
    database: Database, settings: Settings, *, count: int, balance: int, login: bool = False
) -> list[Person]:
    """``count`` verified customers (``login``: signed up in the app, password DEMO_PASSWORD) with a
    Class I account holding ``balance`` fen (for benchmarks)."""
    rng = random.Random(count)
    faker = Faker("zh_CN")
    faker.seed_instance(count)
    people = []
    for index in range(count):
        person = new_person(database, settings, rng, faker, phone=f"137{index:08d}", login=login)
        deposit(database, settings, person.class_i, balance)
        people.append(person)
    return people
