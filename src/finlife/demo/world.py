"""Seed a demo world through the service layer: the same rules every channel obeys.

People are Faker zh_CN customers verified at a branch with well-formed resident IDs, each with a Class
I account, some with a Class II or III e-account bound to it, and days of history (salary deposits,
transfers, ATM withdrawals) booked on the days they happened.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountClass, BoundAccountIn
from finlife.customers import service as customers
from finlife.demo.identity_numbers import resident_id
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.settings import Settings

DEMO_PASSWORD = "finlife-demo-1"  # noqa: S105 - the demo world's published sign-in, never production
DEMO_CUSTOMER_PHONE = "13800000000"
DEMO_TELLER = "teller"

Progress = Callable[[str, int], None]


@dataclass
class Person:
    customer_id: str
    class_i: str
    e_accounts: list[str] = field(default_factory=list)


def _teller(channel: Channel = Channel.BRANCH) -> Actor:
    return Actor(channel=channel, user_id="system", username="demo-seed", roles=frozenset({Role.TELLER}))


def _born(rng: random.Random) -> date:
    return date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 48))


def _new_person(
    database: Database, settings: Settings, rng: random.Random, faker: Faker, *, phone: str, login: bool
) -> Person:
    teller = _teller()
    name = faker.name()
    id_number = resident_id(rng, born=_born(rng), male=rng.random() < 0.5)
    with database.unit_of_work() as session:
        if login:
            visitor = Actor(channel=Channel.MOBILE)
            customer = customers.signup(
                session, settings, visitor, phone=phone, password=DEMO_PASSWORD, name=name
            )
            customers.verify_identity(session, teller, customer.id, name=name, id_number=id_number)
        else:
            customer = customers.create_customer(session, teller, name=name, phone=phone, id_number=id_number)
        account = accounts.open_account(
            session, settings, teller, customer_id=customer.id, account_class=AccountClass.I
        )
    return Person(customer_id=customer.id, class_i=account.id)


def _open_e_account(
    database: Database, settings: Settings, person: Person, account_class: AccountClass
) -> None:
    with database.unit_of_work() as session:
        account = accounts.open_account(
            session,
            settings,
            _teller(),
            customer_id=person.customer_id,
            account_class=account_class,
            bound_account=BoundAccountIn(account_id=person.class_i),
        )
    person.e_accounts.append(account.id)


def _deposit(database: Database, settings: Settings, account_id: str, amount: int) -> None:
    with database.unit_of_work() as session:
        accounts.deposit_cash(
            session, settings, _teller(), account_id=account_id, amount=amount, currency="CNY"
        )


def _history_day(database: Database, settings: Settings, rng: random.Random, people: list[Person]) -> None:
    """One business day: a few salaries, transfers between people, top-ups and ATM withdrawals."""
    teller = _teller()
    for person in rng.sample(people, k=max(1, len(people) // 10)):
        _deposit(database, settings, person.class_i, rng.randrange(300_000, 2_000_000, 100))
    for _ in range(len(people)):
        payer, payee = rng.sample(people, 2)
        amount = rng.randrange(1_000, 80_000, 100)
        try:
            with database.unit_of_work() as session:
                accounts.transfer(
                    session,
                    settings,
                    teller,
                    from_account_id=payer.class_i,
                    to_account_id=payee.class_i,
                    amount=amount,
                    currency="CNY",
                    memo=rng.choice(["餐费", "房租", "还款", "红包", "水电费"]),
                )
        except FinlifeError:
            continue  # a refused transfer (funds, limits) is part of a realistic day
    for person in rng.sample(people, k=max(1, len(people) // 5)):
        if not person.e_accounts:
            continue
        try:
            with database.unit_of_work() as session:
                accounts.transfer(
                    session,
                    settings,
                    teller,
                    from_account_id=person.class_i,
                    to_account_id=person.e_accounts[0],
                    amount=rng.randrange(5_000, 50_000, 100),
                    currency="CNY",
                    memo="零钱充值",
                )
        except FinlifeError:
            continue  # a Class III e-account at its 2,000 CNY cap refuses the top-up


def is_empty(database: Database) -> bool:
    """True when no customer exists yet (so ``make run`` seeds only once)."""
    with database.unit_of_work() as session:
        page = customers.search_customers(session, _teller(), PageParams(limit=1))
    return not page.data


def seed_demo_world(
    database: Database,
    settings: Settings,
    *,
    customers_count: int = 60,
    days: int = 30,
    seed: int = 2026,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Customers with accounts and ``days`` of history ending today; returns what was made."""
    rng = random.Random(seed)
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    tick = progress or (lambda _label, _n: None)
    with database.unit_of_work() as session:
        identity.create_user(
            session, settings, username=DEMO_TELLER, password=DEMO_PASSWORD, roles=[Role.TELLER]
        )
    today = clock.now()
    clock.freeze(today - timedelta(days=days))
    try:
        people = []
        for index in range(customers_count):
            phone = (
                DEMO_CUSTOMER_PHONE if index == 0 else f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"
            )
            person = _new_person(database, settings, rng, faker, phone=phone, login=index < 5)
            _deposit(database, settings, person.class_i, rng.randrange(500_000, 5_000_000, 100))
            if rng.random() < 0.5:
                _open_e_account(database, settings, person, rng.choice([AccountClass.II, AccountClass.III]))
            people.append(person)
            tick("customers", 1)
        for day in range(days):
            clock.freeze(today - timedelta(days=days - day) + timedelta(hours=rng.randrange(1, 12)))
            _history_day(database, settings, rng, people)
            tick("days", 1)
    finally:
        clock.reset()
    return {"customers": len(people), "days": days}


def seed_funded_accounts(database: Database, settings: Settings, *, count: int, balance: int) -> list[str]:
    """``count`` verified customers with a Class I account holding ``balance`` fen (for benchmarks)."""
    rng = random.Random(count)
    faker = Faker("zh_CN")
    faker.seed_instance(count)
    ids = []
    for index in range(count):
        person = _new_person(database, settings, rng, faker, phone=f"137{index:08d}", login=False)
        _deposit(database, settings, person.class_i, balance)
        ids.append(person.class_i)
    return ids
