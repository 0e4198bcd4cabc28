"""Real concurrency on PostgreSQL: one order is paid once, one terminal has one open shift."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from finlife.cashier import service as cashier
from finlife.cashier.schemas import ShiftOpenIn
from finlife.kit.auth import Channel, read_token
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.settings import Settings
from tests.cashier.support import Till, goods, new_order, pos
from tests.catalog.support import stock_of, variation
from tests.merchants.support import events_of

pytestmark = pytest.mark.postgres_only


def test_two_payments_each_covering_the_total_pay_the_order_once(
    client: TestClient, db: Database, till: Till
) -> None:
    (latte,) = goods(client, till, variation(price=1800, stock=10))
    order = new_order(client, till, [{"variation_id": latte, "quantity": 3}])
    start = threading.Barrier(2)

    def pay(number: int) -> str:
        start.wait()
        try:
            with db.unit_of_work() as session:
                cashier.apply_payment(
                    session, order["id"], amount=order["total"], payment_id=f"pay_race{number}"
                )
            return "paid"
        except FinlifeError as exc:
            assert exc.status == 409, exc
            return exc.code

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(pay, range(2)))
    assert outcomes == ["order_not_open", "paid"]
    final = client.get(f"/v1/orders/{order['id']}", headers=pos(till.cashier)).json()
    assert (final["status"], final["paid"]) == ("paid", order["total"])
    assert stock_of(db, latte) == 7
    assert len(events_of(db, "order.paid")) == 1


def test_racing_partial_payments_never_pass_the_total(client: TestClient, db: Database, till: Till) -> None:
    order = new_order(client, till, [{"name": "费", "amount": 1000}])
    start = threading.Barrier(8)

    def pay(number: int) -> bool:
        start.wait()
        try:
            with db.unit_of_work() as session:
                cashier.apply_payment(session, order["id"], amount=300, payment_id=f"pay_part{number}")
            return True
        except FinlifeError as exc:
            assert exc.code in ("overpayment", "order_not_open"), exc
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sum(pool.map(pay, range(8))) == 3
    final = client.get(f"/v1/orders/{order['id']}", headers=pos(till.cashier)).json()
    assert (final["status"], final["paid"]) == ("open", 900)


def test_racing_shift_opens_on_one_terminal_open_one(
    client: TestClient, db: Database, settings: Settings, till: Till
) -> None:
    actor = read_token(till.cashier, secret=settings.secret_key, channel=Channel.POS)
    start = threading.Barrier(6)

    def open_one(_: int) -> str:
        start.wait()
        try:
            with db.unit_of_work() as session:
                body = ShiftOpenIn(terminal_id=till.terminal_id, opening_float=1000)
                cashier.open_shift(session, actor, till.store_id, body)
            return "opened"
        except FinlifeError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(open_one, range(6)))
    assert outcomes.count("opened") == 1
    assert outcomes.count("shift_already_open") == 5
