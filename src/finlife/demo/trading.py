"""A day of trade at every demo store, through the cashier and payments services.

The cashier opens a shift with a float, rings up orders of the shop's goods at its busy hours, and
takes a mix of tenders: cash with change, a customer's payment code, the order's dynamic QR scanned
and paid in the customer's app, or a tapped finlife debit card. A tender the customer's bank refuses
(funds, daily QR limit) is paid in cash instead, as at a real counter. Now and then an order is
partly refunded; at closing the drawer is counted (sometimes a little short) and the shift closed.

Each store's day is one transaction (each tender in a savepoint): the demo seeds in seconds on SQLite,
where every commit waits for the disk.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import CatalogLineIn, OrderIn, OrderOut, RefundLine, ShiftCloseIn, ShiftOpenIn
from finlife.demo import steps
from finlife.demo.common import Person, customer_actor, freeze_at
from finlife.demo.merchants import CardHolder, Shop, Till, Town
from finlife.demo.tastes import pick_payer
from finlife.kit.clock import clock
from finlife.kit.db import Database, savepoint
from finlife.kit.errors import FinlifeError
from finlife.payments import service as payments
from finlife.payments.errors import CardDeclined
from finlife.payments.schemas import (
    CardTenderIn,
    CashTenderIn,
    EntryMode,
    PaymentCodeTenderIn,
    QrPaymentIn,
    RefundIn,
)
from finlife.settings import Settings

OPENING_FLOAT = 50_000  # 500 CNY of change in the drawer
NOTES = (1_000, 2_000, 5_000, 10_000)  # 10, 20, 50 and 100 CNY
TENDERS = ("cash", "qr", "payment_code", "card")
TENDER_WEIGHTS = (30, 35, 22, 13)
REFUND_SHARE = 0.04
REFUND_REASONS = ("顾客退单", "菜品不满意", "商品破损", "多收了一份", "顾客改主意了")


@dataclass
class DayCounts:
    orders: int = 0
    refunds: int = 0

    def add(self, other: DayCounts) -> None:
        self.orders += other.orders
        self.refunds += other.refunds


def _moment(rng: random.Random, window: tuple[time, time]) -> time:
    start = window[0].hour * 60 + window[0].minute
    end = window[1].hour * 60 + window[1].minute
    minute = rng.randrange(start, end)
    return time(minute // 60, minute % 60, rng.randrange(60))


def _tendered(rng: random.Random, amount: int) -> int:
    """What the customer hands over: the exact sum, or the smallest note (or hundreds) that covers it."""
    if rng.random() < 0.2:
        return amount
    for note in NOTES:
        if amount <= note:
            return note
    return -(-amount // NOTES[-1]) * NOTES[-1]


def _lines(rng: random.Random, shop: Shop) -> list[CatalogLineIn]:
    low, high = shop.trade.lines_per_order
    picks = rng.sample(shop.goods, k=min(len(shop.goods), rng.randint(low, high)))
    return [
        CatalogLineIn(variation_id=g.variation_id, quantity=2 if rng.random() < 0.2 else 1) for g in picks
    ]


def _customer(person: Person) -> str:
    return person.customer_id


def _holder(holder: CardHolder) -> str:
    return holder.person.customer_id


def _cashless(
    session: Session,
    settings: Settings,
    rng: random.Random,
    town: Town,
    shop: Shop,
    till: Till,
    order: OrderOut,
) -> bool:
    """Try the customer's chosen non-cash tender; False when it is cash or was refused. Who pays is
    drawn by the customers' tastes for this store (see tastes)."""
    method = rng.choices(TENDERS, weights=TENDER_WEIGHTS)[0]
    try:
        with savepoint(session):
            where = (till.district, shop.trade.key)
            if method in ("qr", "payment_code") and town.app_users:
                payer = pick_payer(rng, town.app_users, _customer, town.tastes, where)
                app = customer_actor(payer)
                if method == "qr":
                    payload = payments.order_qr(session, settings, till.cashier, order.id)
                    body = QrPaymentIn(payload=payload, account_id=payer.class_i)
                    payments.pay_qr(session, settings, app, body)
                    return True
                code = payments.issue_code(session, settings, app, payer.class_i).code
                tender = PaymentCodeTenderIn(method="payment_code", amount=order.total, code=code)
                payments.take_payment(session, settings, till.cashier, order.id, tender)
                return True
            if method == "card" and town.card_holders:
                holder = pick_payer(rng, town.card_holders, _holder, town.tastes, where)
                card = CardTenderIn(
                    method="card",
                    amount=order.total,
                    pan=holder.pan,
                    expiry=holder.expiry,
                    entry_mode=EntryMode.CONTACTLESS,
                )
                outcome = payments.take_payment(session, settings, till.cashier, order.id, card)
                return not isinstance(outcome, CardDeclined)  # a decline is kept, then cash
    except FinlifeError:
        return False  # refused (funds, the day's QR limit): the customer pays cash
    return False


def _sell(
    session: Session, settings: Settings, rng: random.Random, town: Town, shop: Shop, till: Till
) -> OrderOut | None:
    """One order rung up and paid; None if it could not be paid and was cancelled."""
    order = cashier.open_order(
        session,
        till.cashier,
        OrderIn(store_id=till.store_id, terminal_id=till.terminal_id, lines=_lines(rng, shop)),
    )
    # The tender draws from a sequence of its own: a card that cannot be tapped after a resumed seeding
    # (see steps) changes how this order is paid, never what the day draws next.
    tender = random.Random(rng.getrandbits(64))
    if _cashless(session, settings, tender, town, shop, till, order):
        return order
    cash = CashTenderIn(method="cash", amount=order.total, tendered=_tendered(tender, order.total))
    try:
        with savepoint(session):
            payments.take_payment(session, settings, till.cashier, order.id, cash)
    except FinlifeError:  # e.g. the last of a tracked good sold meanwhile
        cashier.cancel_order(session, till.cashier, order.id)
        return None
    return order


def _refund(session: Session, settings: Settings, rng: random.Random, till: Till, order: OrderOut) -> None:
    """Give back one piece of one line of a paid order, a little later."""
    line = rng.choice([line for line in order.lines if line.variation_id is not None])
    assert line.variation_id is not None
    body = RefundIn(
        amount=line.unit_price,
        reason=rng.choice(REFUND_REASONS),
        lines=[RefundLine(variation_id=line.variation_id, quantity=1)],
    )
    clock.advance(timedelta(minutes=rng.randint(5, 40)))
    payments.refund_order(session, settings, till.cashier, order.id, body)


def _store_day(
    session: Session, settings: Settings, rng: random.Random, town: Town, shop: Shop, till: Till, day: date
) -> DayCounts:
    counts = DayCounts()
    opens, closes = shop.trade.shift
    freeze_at(day, opens)
    opening = ShiftOpenIn(terminal_id=till.terminal_id, opening_float=OPENING_FLOAT)
    shift = cashier.open_shift(session, till.cashier, till.store_id, opening)
    low, high = shop.trade.orders_per_day
    moments = sorted(_moment(rng, rng.choice(shop.trade.peaks)) for _ in range(rng.randint(low, high)))
    for moment in moments:
        freeze_at(day, moment)
        order = _sell(session, settings, rng, town, shop, till)
        if order is None:
            continue
        counts.orders += 1
        if rng.random() < REFUND_SHARE:
            _refund(session, settings, rng, till, order)
            counts.refunds += 1
    freeze_at(day, closes)
    expected = cashier.get_shift(session, till.cashier, shift.id).expected_cash
    short = rng.choice((100, 500, 1_000)) if rng.random() < 0.1 else 0  # a note miscounted, now and then
    cashier.close_shift(session, till.cashier, shift.id, ShiftCloseIn(counted_cash=max(0, expected - short)))
    return counts


def trade_day(
    database: Database, settings: Settings, seed: int, number: int, town: Town, day: date
) -> DayCounts:
    """Every store of the town trades through business day ``day`` (the ``number``-th of the history),
    each till from its own sequence (see steps); the clock is left at its close. A store's day traded
    before an interruption (its shift of that day exists) is counted, not traded again."""
    counts = DayCounts()
    for shop_number, shop in enumerate(town.shops):
        for till_number, till in enumerate(shop.tills):
            rng = steps.step_rng(seed, "day", number, "merchant", shop_number, "till", till_number)
            freeze_at(day, shop.trade.shift[0])
            with database.unit_of_work() as session:
                before = steps.store_day_traded(session, till.terminal_id, clock.now())
                if before is None:
                    counts.add(_store_day(session, settings, rng, town, shop, till, day))
                else:
                    counts.add(DayCounts(orders=before[0], refunds=before[1]))
    return counts


def business_days(days: int, *, until: datetime) -> list[date]:
    """The ``days`` business days before the one ``until`` falls on, oldest first."""
    last = clock.business_day(until)
    return [last - timedelta(days=days - offset) for offset in range(days)]
