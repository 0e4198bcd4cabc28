"""A paid order's popularity count goes out with the payment's COMMIT (``kit.pipeline.defer_to_commit``):
one store's payments at once do not queue on the store's popularity row for the rest of their work,
and no count is lost (PostgreSQL: real row locks)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from finlife.kit.auth import Channel, read_token
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.payments import service as payments
from finlife.payments.schemas import QrPaymentIn
from finlife.search.models import StorePopularity
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.ledger.support import check_book
from tests.payments.support import order_of, order_qr, pay_qr, payer, pending_balance

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _morning() -> None:
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai


def _popularity(db: Database, store_id: str) -> int:
    with db.unit_of_work() as session:
        count: int = session.execute(
            select(StorePopularity.popularity).where(StorePopularity.store_id == store_id)
        ).scalar_one()
    return count


def test_a_payment_waits_for_its_store_popularity_row_only_at_its_commit(
    client: TestClient, db: Database, settings: Settings, bank: Bank, till: Till
) -> None:
    who = payer(bank, 50_000)
    payload = order_qr(client, till, order_of(client, till, 2_400))
    before = _popularity(db, till.store_id)
    customer = read_token(who.token, secret=settings.secret_key, channel=Channel.MOBILE)
    holder = db.engine.connect()
    try:
        holder.execute(text("BEGIN"))
        row = text("SELECT 1 FROM search_store_popularity WHERE store_id = :id FOR UPDATE")
        holder.execute(row, {"id": till.store_id})
        with db.unit_of_work() as session:
            # Any wait for a row lock while the payment runs fails at once instead of queueing.
            session.execute(text("SET LOCAL lock_timeout = '50ms'"))
            paid = payments.pay_qr(
                session, settings, customer, QrPaymentIn(payload=payload, account_id=who.account_id)
            )
            assert (paid.order_status, paid.order_outstanding) == ("paid", 0)
            holder.execute(text("ROLLBACK"))  # the commit below adds the count: nothing holds the row now
    finally:
        holder.close()
    assert _popularity(db, till.store_id) == before + 1
    assert pending_balance(db, till.merchant_id) == 2_400
    with db.unit_of_work() as session:
        check_book(session)


def test_a_payment_that_fails_after_counting_leaves_the_count_alone(
    client: TestClient, db: Database, settings: Settings, bank: Bank, till: Till
) -> None:
    """The count queued for the COMMIT goes with a rollback: a payment refused after its order was
    marked paid (here: more than the customer has) counts nothing."""
    poor = payer(bank, 1_000)
    payload = order_qr(client, till, order_of(client, till, 2_400))
    before = _popularity(db, till.store_id)
    assert pay_qr(client, poor, payload).status_code == 422
    assert _popularity(db, till.store_id) == before


def test_many_payments_to_one_store_at_once_count_every_paid_order(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    amounts = [1_500 + 11 * n for n in range(12)]
    payers = [payer(bank, 20_000) for _ in amounts]
    payloads = [order_qr(client, till, order_of(client, till, amount)) for amount in amounts]
    before = _popularity(db, till.store_id)
    start = threading.Barrier(len(amounts))

    def pay(index: int) -> int:
        start.wait()
        return pay_qr(client, payers[index], payloads[index]).status_code

    with ThreadPoolExecutor(max_workers=len(amounts)) as pool:
        statuses = list(pool.map(pay, range(len(amounts))))
    assert statuses == [201] * len(amounts)
    assert _popularity(db, till.store_id) == before + len(amounts)
    assert pending_balance(db, till.merchant_id) == sum(amounts)
    with db.unit_of_work() as session:
        check_book(session)
