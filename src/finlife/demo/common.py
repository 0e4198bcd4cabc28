"""What the demo's people and shops share: the published sign-in, the seeding teller, new verified
customers with a Class I account, cash deposits and the clock set to a moment of a business day."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from faker import Faker
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import AccountClass
from finlife.customers import service as customers
from finlife.demo.identity_numbers import resident_id
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings

DEMO_PASSWORD = "finlife-demo-1"  # noqa: S105 - the demo world's published sign-in, never production
DEMO_CUSTOMER_PHONE = "13800000000"
DEMO_TELLER = "teller"

Progress = Callable[[str, int], None]


@dataclass
class Person:
    customer_id: str
    class_i: str
    user_id: str | None = None  # only people who signed up in the app have a login
    username: str | None = None
    e_accounts: list[str] = field(default_factory=list)


def seeding_settings(settings: Settings) -> Settings:
    """The settings to seed with: cheap argon2 parameters for the demo's logins and PINs.

    Every demo login shares one published password, so hashing each at production cost would only
    make ``make run`` slower (0.2 s a hash, a few hundred logins). argon2 hashes carry their own
    parameters, so the server, with production settings, verifies them all the same.
    """
    return settings.model_copy(update={"fast_password_hashing": True})


def teller(channel: Channel = Channel.BRANCH) -> Actor:
    """The seeding's teller at the branch counter (KYC in person, cash, account opening)."""
    return Actor(channel=channel, user_id="system", username="demo-seed", roles=frozenset({Role.TELLER}))


def customer_actor(person: Person) -> Actor:
    """The person signed in to the customer app on their phone."""
    return Actor(
        channel=Channel.MOBILE,
        user_id=person.user_id,
        username=person.username,
        roles=frozenset({Role.CUSTOMER}),
        customer_id=person.customer_id,
    )


def _born(rng: random.Random) -> date:
    return date(1955, 1, 1) + timedelta(days=rng.randrange(0, 365 * 48))


def draw_identity(rng: random.Random, faker: Faker) -> tuple[str, str]:
    """A person's name and resident ID number, drawn (the ID number is their natural key)."""
    name = faker.name()
    return name, resident_id(rng, born=_born(rng), male=rng.random() < 0.5)


def make_person(
    session: Session, settings: Settings, *, name: str, id_number: str, phone: str, login: bool
) -> Person:
    """A customer verified in person at the branch, with a Class I account; ``login``: signed up in the
    app first (username = phone, password DEMO_PASSWORD)."""
    desk = teller()
    user = None
    if login:
        visitor = Actor(channel=Channel.MOBILE)
        customer = customers.signup(
            session, settings, visitor, phone=phone, password=DEMO_PASSWORD, name=name
        )
        customers.verify_identity(session, desk, customer.id, name=name, id_number=id_number)
        user = identity.find_by_customer(session, customer.id)
    else:
        customer = customers.create_customer(session, desk, name=name, phone=phone, id_number=id_number)
    account = accounts.open_account(
        session, settings, desk, customer_id=customer.id, account_class=AccountClass.I
    )
    return Person(
        customer_id=customer.id,
        class_i=account.id,
        user_id=user.id if user else None,
        username=user.username if user else None,
    )


def new_person(
    database: Database, settings: Settings, rng: random.Random, faker: Faker, *, phone: str, login: bool
) -> Person:
    """A customer verified in person at the branch, with a Class I account (see ``make_person``)."""
    name, id_number = draw_identity(rng, faker)
    with database.unit_of_work() as session:
        return make_person(session, settings, name=name, id_number=id_number, phone=phone, login=login)


def deposit(database: Database, settings: Settings, account_id: str, amount: int) -> None:
    """Cash paid in at the counter."""
    with database.unit_of_work() as session:
        accounts.deposit_cash(
            session, settings, teller(), account_id=account_id, amount=amount, currency="CNY"
        )


def freeze_at(day: date, at: time) -> None:
    """Freeze the clock at a wall-clock time of a business day (Asia/Shanghai)."""
    local = datetime.combine(day, at, tzinfo=clock.business_zone)
    clock.freeze(local.astimezone(UTC))
