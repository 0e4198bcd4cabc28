"""A city of demo merchants, set up through the services as people would: a verified customer applies
in the app with their Class I account for settlement, the demo teller approves, and the new owner opens
stores across Shanghai's districts, binds POS terminals, adds a cashier per store and lists goods.

Coordinates are district centres jittered by up to ±0.01° (about a kilometre), in exact decimals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from faker import Faker
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from finlife.accounts import service as accounts
from finlife.catalog import service as catalog
from finlife.catalog.schemas import ItemCreateIn, VariationIn
from finlife.demo import steps
from finlife.demo.common import (
    DEMO_PASSWORD,
    Person,
    Progress,
    customer_actor,
    draw_identity,
    make_person,
    teller,
)
from finlife.demo.goods import TRADES, Trade
from finlife.demo.tastes import Taste, draw_tastes
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.merchants import service as merchants
from finlife.merchants.schemas import StoreIn
from finlife.settings import Settings

# District: (centre latitude, centre longitude, a few of its streets).
DISTRICTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "黄浦区": ("31.226500", "121.484000", ("南京东路", "淮海中路", "西藏南路", "河南南路", "复兴中路")),
    "徐汇区": ("31.188000", "121.437000", ("衡山路", "漕溪北路", "肇嘉浜路", "天钥桥路", "宛平南路")),
    "静安区": ("31.233000", "121.453000", ("南京西路", "愚园路", "常德路", "江宁路", "延安中路")),
    "长宁区": ("31.220000", "121.410000", ("长宁路", "天山路", "仙霞路", "定西路", "娄山关路")),
    "普陀区": ("31.248000", "121.400000", ("长寿路", "曹杨路", "真北路", "武宁路", "中山北路")),
    "虹口区": ("31.270000", "121.490000", ("四川北路", "多伦路", "曲阳路", "海宁路", "东江湾路")),
    "杨浦区": ("31.286000", "121.520000", ("国定路", "淞沪路", "政通路", "控江路", "黄兴路")),
    "浦东新区": ("31.230000", "121.540000", ("世纪大道", "张杨路", "浦东南路", "东方路", "峨山路")),
    "闵行区": ("31.113000", "121.382000", ("都市路", "七莘路", "虹井路", "沪闵路", "莘松路")),
    "宝山区": ("31.405000", "121.489000", ("牡丹江路", "友谊路", "同济路", "淞滨路", "铁峰路")),
}
JITTER_MICRO_DEGREES = 10_000  # ±0.01°
MICRO = Decimal(1_000_000)
CARD_SHARE = 0.35  # of the demo's customers carry a finlife debit card


@dataclass(frozen=True)
class Sellable:
    variation_id: str


@dataclass(frozen=True)
class Till:
    """A store's first terminal and the cashier who works it."""

    store_id: str
    terminal_id: str
    cashier: Actor
    district: str  # where the store is, which the customers' tastes weigh (see tastes)


@dataclass
class Shop:
    merchant_id: str
    trade: Trade
    tills: list[Till]
    goods: list[Sellable]


@dataclass(frozen=True)
class CardHolder:
    person: Person
    pan: str  # kept in memory only, to tap the card at a terminal; never stored
    expiry: str


@dataclass
class Town:
    shops: list[Shop]
    app_users: list[Person]  # pay with the app: merchant QR codes and payment codes
    card_holders: list[CardHolder]
    tastes: dict[str, Taste]  # by customer id: who pays where (see tastes)


def _jitter(rng: random.Random, centre: str) -> Decimal:
    return Decimal(centre) + Decimal(rng.randint(-JITTER_MICRO_DEGREES, JITTER_MICRO_DEGREES)) / MICRO


def _price(base: int, percent: int) -> int:
    """The menu price adjusted to this merchant, rounded as a shop would (to 0.1 or 1 CNY)."""
    raw = base * percent // 100
    step = 10 if raw < 2000 else 100
    return max(step, raw // step * step)


def _credit_code(rng: random.Random) -> str:
    body = f"913101{rng.randrange(10**11):011d}"  # 91: enterprise, 310101: a Shanghai district
    return body + uscc.calc_check_digit(body)


def owner_phone(index: int) -> str:
    """The login (phone) of the ``index``-th demo merchant's owner, from 0."""
    return f"1390000{index + 1:04d}"


def cashier_username(index: int, store: int) -> str:
    return f"cashier{index + 1}-{store + 1}"


def _issue_cards(
    database: Database, settings: Settings, rng: random.Random, people: list[Person]
) -> list[CardHolder]:
    holders: list[CardHolder] = []
    with database.unit_of_work() as session:
        if steps.cards_issued(session, people):  # before an interruption: their numbers are not kept
            return holders
        for person in people:
            if rng.random() < CARD_SHARE:
                pin = f"{rng.randrange(10**6):06d}"
                card = accounts.issue_card(session, settings, teller(), person.class_i, pin=pin)
                holders.append(CardHolder(person=person, pan=card.pan, expiry=card.expiry))
    return holders


def _apply_and_approve(
    database: Database,
    rng: random.Random,
    faker: Faker,
    trade: Trade,
    brand: str,
    owner: Person,
    approver: Actor,
) -> str:
    credit_code, contact = _credit_code(rng), f"{faker.last_name()}经理"
    with database.unit_of_work() as session:
        found = steps.merchant_of(session, credit_code)
        if found is None:
            merchant_id = merchants.apply_merchant(
                session,
                customer_actor(owner),
                legal_name=f"上海{brand}{trade.legal_suffix}",
                credit_code=credit_code,
                mcc=trade.mcc,
                category=trade.key,
                settlement_account_id=owner.class_i,
                contact=contact,
            ).id
            status = "pending"
        else:
            merchant_id, status = found
    clock.advance(timedelta(days=1))
    if status == "pending":
        with database.unit_of_work() as session:
            merchants.approve_merchant(session, approver, merchant_id)
    return merchant_id


def _owner(database: Database, settings: Settings, rng: random.Random, faker: Faker, index: int) -> Person:
    name, id_number = draw_identity(rng, faker)
    with database.unit_of_work() as session:
        found = steps.person_of(session, id_number)
        if found is not None:
            return found
        return make_person(
            session, settings, name=name, id_number=id_number, phone=owner_phone(index), login=True
        )


def _set_up_before(
    session: Session, index: int, merchant_id: str
) -> tuple[list[Till], list[Sellable]] | None:
    """The tills and goods of a merchant whose stores were opened before an interruption, or None."""
    stores = steps.stores_of(session, merchant_id)
    if not stores:
        return None
    tills = []
    for number, (store_id, terminal_id, district) in enumerate(stores):
        user = identity.find_by_username(session, cashier_username(index, number))
        assert user is not None  # made in the same transaction as its store
        cashier = Actor(
            channel=Channel.POS, user_id=user.id, username=user.username, roles=frozenset({Role.CASHIER})
        )
        tills.append(Till(store_id=store_id, terminal_id=terminal_id, cashier=cashier, district=district))
    return tills, [Sellable(variation_id=v) for v in steps.goods_of(session, merchant_id)]


def _open_stores(
    session: Session,
    settings: Settings,
    rng: random.Random,
    faker: Faker,
    owner: Actor,
    merchant_id: str,
    index: int,
    brand: str,
    trade: Trade,
    count: int,
) -> list[Till]:
    tills = []
    for number, district in enumerate(rng.sample(sorted(DISTRICTS), count)):
        latitude, longitude, streets = DISTRICTS[district]
        street = rng.choice(streets)
        body = StoreIn(
            name=f"{brand}（{street}店）",
            address=f"上海市{district}{street}{rng.randint(1, 999)}号",
            district=district,
            latitude=_jitter(rng, latitude),
            longitude=_jitter(rng, longitude),
            category=trade.key,
            opening_hours=trade.opening_hours,
        )
        store = merchants.create_store(session, owner, merchant_id, body)
        terminals = [merchants.add_terminal(session, owner, store.id).terminal_id]
        if rng.choice((1, 1, 2)) == 2:
            terminals.append(merchants.add_terminal(session, owner, store.id).terminal_id)
        staff = merchants.add_staff(
            session,
            settings,
            owner,
            merchant_id,
            username=cashier_username(index, number),
            password=DEMO_PASSWORD,
            name=faker.name(),
            store_ids=[store.id],
        )
        cashier = Actor(
            channel=Channel.POS,
            user_id=staff.user_id,
            username=staff.username,
            roles=frozenset({Role.CASHIER}),
        )
        tills.append(Till(store_id=store.id, terminal_id=terminals[0], cashier=cashier, district=district))
    return tills


def _list_goods(
    session: Session, rng: random.Random, owner: Actor, merchant_id: str, trade: Trade
) -> list[Sellable]:
    chosen = rng.sample(trade.menu, k=rng.randint(min(5, len(trade.menu)), min(15, len(trade.menu))))
    percent = rng.randint(90, 125)  # this merchant's prices against the menu's
    prefix = trade.key[:3].upper()
    goods: list[Sellable] = []
    for number, good in enumerate(chosen):
        variations = [
            VariationIn(
                name=name,
                sku=f"{prefix}{number + 1:02d}-{v + 1}",
                price=_price(price, percent),
                stock=rng.randint(400, 900) if trade.stocked else None,
            )
            for v, (name, price) in enumerate(good.variations)
        ]
        body = ItemCreateIn(name=good.name, category=good.category, variations=variations)
        item = catalog.create_item(session, owner, merchant_id, body)
        goods.extend(Sellable(variation_id=v.id) for v in item.variations)
    return goods


def open_shop(
    database: Database,
    settings: Settings,
    rng: random.Random,
    faker: Faker,
    index: int,
    approver: Actor,
    *,
    trade: Trade | None = None,
    stores: int | None = None,
) -> Shop:
    """The ``index``-th merchant: its owner signs up and applies, is approved the next day, and sets up
    stores, terminals, cashiers and goods the day after. The trade follows ``index`` and the number of
    stores (1–3, at most as many as districts) is drawn, unless given. The clock ends frozen where it
    started."""
    trade = trade or TRADES[index % len(TRADES)]
    count = min(stores or rng.choices((1, 2, 3), weights=(6, 3, 1))[0], len(DISTRICTS))
    brand = trade.brands[(index // len(TRADES)) % len(trade.brands)]
    start = clock.now()
    clock.freeze(start - timedelta(days=2))
    try:
        person = _owner(database, settings, rng, faker, index)
        merchant_id = _apply_and_approve(database, rng, faker, trade, brand, person, approver)
        clock.advance(timedelta(days=1))
        owner = Actor(
            channel=Channel.WEB,
            user_id=person.user_id,
            username=person.username,
            roles=frozenset({Role.CUSTOMER, Role.MERCHANT_OWNER}),
            customer_id=person.customer_id,
        )
        with database.unit_of_work() as session:
            made = _set_up_before(session, index, merchant_id)
            if made is None:
                tills = _open_stores(
                    session, settings, rng, faker, owner, merchant_id, index, brand, trade, count
                )
                made = tills, _list_goods(session, rng, owner, merchant_id, trade)
        tills, goods = made
    finally:
        clock.freeze(start)
    return Shop(merchant_id=merchant_id, trade=trade, tills=tills, goods=goods)


def open_town(
    database: Database,
    settings: Settings,
    seed: int,
    people: list[Person],
    *,
    count: int,
    approver: Actor,
    tick: Progress | None = None,
) -> Town:
    """``count`` merchants, and debit cards for some of ``people`` (who will shop at them); each
    merchant drawn from its own sequence (see steps), opened from the clock's moment now."""
    shops = []
    start = clock.now()
    faker = Faker("zh_CN")
    for index in range(count):
        clock.freeze(start)
        # The first merchant, whose owner login is printed, shows a console with more than one store.
        stores = 2 if index == 0 else None
        rng = steps.step_rng(seed, "merchant", index)
        named = steps.step_faker(faker, seed, "merchant", index)
        shops.append(open_shop(database, settings, rng, named, index, approver, stores=stores))
        if tick:
            tick("merchants", 1)
    return Town(
        shops=shops,
        app_users=[p for p in people if p.user_id is not None],
        card_holders=_issue_cards(database, settings, steps.step_rng(seed, "cards"), people),
        tastes=draw_tastes(seed, people, sorted(DISTRICTS)),
    )
