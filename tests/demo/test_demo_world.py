"""The demo world is seeded through the services: a tiny one (2 merchants × 2 days) has active merchants
with stores in Shanghai, goods and cashiers, paid orders with several kinds of tender, refunds within
what was paid, closed shifts, balanced books and a working owner login."""

from __future__ import annotations

from decimal import Decimal

import pytest

from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut, OrderStatus
from finlife.catalog import service as catalog
from finlife.demo import world
from finlife.demo.common import DEMO_PASSWORD
from finlife.demo.merchants import DISTRICTS
from finlife.identity import service as identity
from finlife.identity.schemas import TokenOut
from finlife.kit.auth import Actor
from finlife.kit.db import Database
from finlife.kit.pagination import PageParams
from finlife.ledger import service as ledger
from finlife.merchants import service as merchants
from finlife.merchants.schemas import MerchantStatus, StoreOut
from finlife.payments import service as payments
from finlife.settings import Settings

# Shanghai's bounding box (the municipality, Chongming included).
LATITUDES = (Decimal("30.67"), Decimal("31.88"))
LONGITUDES = (Decimal("120.85"), Decimal("122.20"))
ALL = PageParams(limit=100)
BANK = Actor.system()


@pytest.fixture
def tiny_world(db: Database, settings: Settings) -> dict[str, int]:
    return world.seed_demo_world(db, settings, customers_count=6, merchants_count=2, days=2)


def _stores(db: Database) -> list[StoreOut]:
    with db.unit_of_work() as session:
        listed = merchants.list_merchants(session, BANK, ALL).data
        return [s for m in listed for s in merchants.list_stores(session, BANK, m.id, ALL).data]


def _orders(db: Database) -> list[OrderOut]:
    with db.unit_of_work() as session:
        return [o for s in _stores(db) for o in cashier.list_orders(session, BANK, s.id, ALL).data]


def test_merchants_are_active_with_stores_goods_and_a_cashier_per_store(
    db: Database, tiny_world: dict[str, int]
) -> None:
    assert tiny_world["merchants"] == 2
    with db.unit_of_work() as session:
        listed = merchants.list_merchants(session, BANK, ALL).data
        assert {m.status for m in listed} == {MerchantStatus.ACTIVE}
        assert {m.mcc for m in listed} <= {"5812", "5814", "5411", "5462", "5499"}
        for merchant in listed:
            stores = merchants.list_stores(session, BANK, merchant.id, ALL).data
            assert 1 <= len(stores) <= 3
            items = catalog.list_items(session, BANK, merchant.id, ALL).data
            assert 5 <= len(items) <= 15
            assert all(v.price > 0 for item in items for v in item.variations)
            staff = merchants.list_staff(session, BANK, merchant.id, ALL).data
            cashiers = [member for member in staff if member.role == "cashier"]
            assert sorted(sid for member in cashiers for sid in member.store_ids or []) == sorted(
                s.id for s in stores
            )
            for store in stores:
                terminals = merchants.list_terminals(session, BANK, store.id, ALL).data
                assert terminals and all(len(t.terminal_id) == 8 for t in terminals)


def test_stores_stand_in_their_shanghai_district(db: Database, tiny_world: dict[str, int]) -> None:
    stores = _stores(db)
    assert len(stores) == tiny_world["stores"]
    for store in stores:
        latitude, longitude = Decimal(store.latitude), Decimal(store.longitude)
        assert LATITUDES[0] < latitude < LATITUDES[1]
        assert LONGITUDES[0] < longitude < LONGITUDES[1]
        centre_latitude, centre_longitude, _streets = DISTRICTS[store.district]
        assert abs(latitude - Decimal(centre_latitude)) <= Decimal("0.01")
        assert abs(longitude - Decimal(centre_longitude)) <= Decimal("0.01")
        assert store.address.startswith(f"上海市{store.district}")


def test_orders_are_paid_with_cash_and_the_app_and_refunds_stay_within_payments(
    db: Database, tiny_world: dict[str, int]
) -> None:
    orders = _orders(db)
    assert len(orders) == tiny_world["orders"] > 0
    assert all(o.status == OrderStatus.PAID and o.paid == o.total > 0 for o in orders)
    assert all(0 <= o.refunded <= o.paid for o in orders)
    with db.unit_of_work() as session:
        methods = {p.method for o in orders for p in payments.list_payments(session, BANK, o.id)}
    assert "cash" in methods
    assert methods & {"qr_merchant", "payment_code", "card"}


def test_every_shift_is_closed_and_the_trial_balance_is_zero(
    db: Database, settings: Settings, tiny_world: dict[str, int]
) -> None:
    stores = _stores(db)
    with db.unit_of_work() as session:
        balance = ledger.trial_balance(session)
        terminals = [t for s in stores for t in merchants.list_terminals(session, BANK, s.id, ALL).data]
        still_open = [t.terminal_id for t in terminals if cashier.current_shift(session, t.terminal_id)]
        signed_in = identity.sign_in(
            session, settings, username=world.demo_owner_login(), password=DEMO_PASSWORD, source="test"
        )
    assert balance.total == 0
    assert set(balance.totals.values()) == {0}
    assert still_open == []
    assert isinstance(signed_in, TokenOut)
