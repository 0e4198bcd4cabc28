"""Seeding the demo world again after an interruption (a node that died, ``kit.jobs.takeover``).

The world is drawn from one seed, step by step: each customer, each merchant, the cards, each day's
history and each store's day, the marketing and the partners draw from a sequence of their own,
derived from the seed and the step's name (``step_rng``), so a step draws the same whether the steps
before it ran in this process or in the one that died. Each step is one transaction, and before
writing it looks for what it would make by its natural key (a customer's ID number, a merchant's
credit code, a store's shift of that day, a campaign …): found, it is read back instead of made. So
running the seeding again with the same seed and day writes only what is missing.

The cards' numbers are never stored (only a digest), so cards issued before an interruption are not
tapped on the days traded after it: those sales are paid by another tender, and their money moves
differently; what exists (customers, accounts, cards, merchants, stores, shifts, orders, refunds,
campaigns, partners) is the same.
"""

from __future__ import annotations

import random
from datetime import datetime

from faker import Faker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.accounts.models import DebitCard, DepositAccount
from finlife.cashier.models import Order, Shift
from finlife.catalog.models import Item, Variation
from finlife.customers.models import Customer
from finlife.demo.common import Person
from finlife.identity import service as identity
from finlife.ledger.models import JournalEntry
from finlife.marketing.models import Campaign, Coupon
from finlife.merchants.models import Merchant, Store, Terminal
from finlife.payments.models import Refund


def step_name(seed: int, *parts: object) -> str:
    return "/".join(str(part) for part in (seed, *parts))


def step_rng(seed: int, *parts: object) -> random.Random:
    """The step's own random sequence, the same on every run with this seed."""
    return random.Random(step_name(seed, *parts))


def step_faker(faker: Faker, seed: int, *parts: object) -> Faker:
    faker.seed_instance(step_name(seed, *parts))
    return faker


def person_of(session: Session, id_number: str) -> Person | None:
    """The demo customer with this ID number as a Person, or None if not made yet."""
    customer_id = session.execute(select(Customer.public_id).where(Customer.id_number == id_number)).scalar()
    if customer_id is None:
        return None
    owned = session.execute(
        select(DepositAccount.public_id, DepositAccount.account_class)
        .where(DepositAccount.customer_id == customer_id)
        .order_by(DepositAccount.id)
    ).all()
    user = identity.find_by_customer(session, customer_id)
    return Person(
        customer_id=customer_id,
        class_i=next(account for account, kind in owned if kind == "I"),
        user_id=user.id if user else None,
        username=user.username if user else None,
        e_accounts=[account for account, kind in owned if kind != "I"],
    )


def merchant_of(session: Session, credit_code: str) -> tuple[str, str] | None:
    """(public id, status) of the merchant with this credit code, or None."""
    row = session.execute(
        select(Merchant.public_id, Merchant.status).where(Merchant.credit_code == credit_code)
    ).first()
    return (row[0], row[1]) if row else None


def stores_of(session: Session, merchant_id: str) -> list[tuple[str, str, str]]:
    """(store id, its first terminal, its district) of each store of the merchant, in the order they
    were opened."""
    rows = session.execute(
        select(Store.public_id, Store.id, Store.district)
        .join(Merchant)
        .where(Merchant.public_id == merchant_id)
        .order_by(Store.id)
    ).all()
    tills = []
    for store_id, store_pk, district in rows:
        first = session.execute(
            select(Terminal.terminal_id).where(Terminal.store_pk == store_pk).order_by(Terminal.id).limit(1)
        ).scalar_one()
        tills.append((store_id, first, district))
    return tills


def goods_of(session: Session, merchant_id: str) -> list[str]:
    """The merchant's variations' ids, in the order they were listed."""
    return list(
        session.execute(
            select(Variation.public_id)
            .join(Item, Item.id == Variation.item_pk)
            .where(Item.merchant_id == merchant_id)
            .order_by(Item.id, Variation.id)
        ).scalars()
    )


def cards_issued(session: Session, people: list[Person]) -> bool:
    accounts = [person.class_i for person in people]
    return (
        session.execute(
            select(DebitCard.id).join(DepositAccount).where(DepositAccount.public_id.in_(accounts)).limit(1)
        ).first()
        is not None
    )


def history_booked(session: Session, at: datetime) -> bool:
    """A day's history is booked at the counter at one moment: is there an entry of it?"""
    found = session.execute(
        select(JournalEntry.id)
        .where(JournalEntry.created_at == at, JournalEntry.channel == "branch")
        .limit(1)
    )
    return found.first() is not None


def store_day_traded(session: Session, terminal_id: str, opened_at: datetime) -> tuple[int, int] | None:
    """(orders paid, refunds) of the terminal's shift opened at ``opened_at``, or None if none was."""
    shift = session.execute(
        select(Shift).where(Shift.terminal_id == terminal_id, Shift.opened_at == opened_at)
    ).scalar_one_or_none()
    if shift is None:
        return None
    paid = select(Order.public_id).where(
        Order.terminal_id == terminal_id,
        Order.created_at >= shift.opened_at,
        Order.created_at <= (shift.closed_at or shift.opened_at),
        Order.paid_at.is_not(None),
        # the marketing's coupon orders, paid at the same terminal later that day, are its own count
        Order.public_id.not_in(select(Coupon.order_id).where(Coupon.order_id.is_not(None))),
    )
    orders = session.execute(select(func.count()).select_from(paid.subquery())).scalar_one()
    refunds = session.execute(select(func.count(Refund.id)).where(Refund.order_id.in_(paid))).scalar_one()
    return orders, refunds


def marketing_made(session: Session) -> tuple[int, int, int] | None:
    """(campaigns, coupons claimed, coupons redeemed) if the marketing was seeded, else None."""
    campaigns = session.execute(select(func.count(Campaign.id))).scalar_one()
    if not campaigns:
        return None
    claimed = session.execute(select(func.count(Coupon.id))).scalar_one()
    redeemed = session.execute(
        select(func.count(Coupon.id)).where(Coupon.redeemed_at.is_not(None))
    ).scalar_one()
    return campaigns, claimed, redeemed
