"""Real concurrency on PostgreSQL: many payments to one merchant at once credit its pending-settlement
account without queueing on its row (ledger.hot_accounts), and its balance stays exact."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger.models import LedgerAccount, Posting
from finlife.merchants import service as merchants
from tests.accounts.support import Bank
from tests.cashier.support import Till
from tests.ledger.support import check_book
from tests.payments.support import card, order_of, order_qr, pay_qr, payer, pending_balance, refund, tender

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _morning() -> None:
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai


def _pending_postings(db: Database, merchant_id: str) -> list[tuple[int, int]]:
    """(amount, balance_after) of the merchant's pending account, in posting order."""
    with db.unit_of_work() as session:
        pending = merchants.merchant_facts(session, merchant_id).pending_ledger_account_id
        rows = session.execute(
            select(Posting.amount, Posting.balance_after)
            .join(LedgerAccount, LedgerAccount.id == Posting.ledger_account_id)
            .where(LedgerAccount.public_id == pending)
            .order_by(Posting.id)
        ).all()
    return [(row.amount, row.balance_after) for row in rows]


def test_many_qr_payments_to_one_merchant_at_once_keep_its_balance_exact(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    amounts = [1_000 + 37 * n for n in range(16)]
    payers = [payer(bank, 50_000) for _ in amounts]
    payloads = [order_qr(client, till, order_of(client, till, amount)) for amount in amounts]
    start = threading.Barrier(len(amounts))

    def pay(index: int) -> int:
        start.wait()
        return pay_qr(client, payers[index], payloads[index]).status_code

    with ThreadPoolExecutor(max_workers=len(amounts)) as pool:
        statuses = list(pool.map(pay, range(len(amounts))))
    assert statuses == [201] * len(amounts)
    assert pending_balance(db, till.merchant_id) == sum(amounts)
    assert [bank.balance(p.account_id) for p in payers] == [50_000 - amount for amount in amounts]
    # Each credit's balance_after is the balance its own rise left: together, the running sums of the
    # amounts in the order the rises committed (no two alike, the last the whole).
    postings = _pending_postings(db, till.merchant_id)
    assert sorted(-amount for amount, _ in postings) == sorted(amounts)
    running = 0
    for amount, after in sorted(postings, key=lambda p: p[1]):
        running -= amount
        assert after == running
    with db.unit_of_work() as session:
        check_book(session)


def test_refunds_and_payments_of_one_customer_at_once_never_deadlock(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    """A refund locks the pending account after the customer's (hot accounts last), so it never waits
    for the customer's row while holding the pending one a payment's commit needs."""
    who = payer(bank, 200_000)
    paid = [order_of(client, till, 3_000) for _ in range(4)]
    for order_id in paid:
        assert tender(client, till, order_id, card(who, 3_000)).status_code == 201
    payloads = [order_qr(client, till, order_of(client, till, 2_000)) for _ in range(4)]
    start = threading.Barrier(8)

    def job(index: int) -> int:
        start.wait()
        if index % 2:
            return refund(client, till, paid[index // 2], 3_000, key=f"hot-refund-{index}").status_code
        return pay_qr(client, who, payloads[index // 2]).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(job, range(8)))
    assert statuses == [201] * 8
    assert bank.balance(who.account_id) == 200_000 - 4 * 2_000
    assert pending_balance(db, till.merchant_id) == 4 * 2_000
    with db.unit_of_work() as session:
        check_book(session)
