"""Real concurrency on PostgreSQL: many QR payments to one merchant at once, some refused (funds, the
daily barcode limit), each decided as if alone and booked once; a code paid by several customers at
once pays once. (They ran the same against a group-committed version of the route, not kept:
CONTRIBUTING.md, "The checkout's round trips".)"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger.models import JournalEntry, LedgerAccount, Posting
from finlife.merchants import service as merchants
from tests.accounts.support import Bank
from tests.cashier.support import Till, pos
from tests.ledger.support import check_book
from tests.payments.support import Payer, order_of, order_qr, pay_qr, payer, pending_balance

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _morning() -> None:
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai


def _at_once(count: int, call: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    start = threading.Barrier(count)

    def run(index: int) -> httpx.Response:
        start.wait()
        return call(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _pending_postings(db: Database, merchant_id: str) -> list[int]:
    with db.unit_of_work() as session:
        pending = merchants.merchant_facts(session, merchant_id).pending_ledger_account_id
        amounts = session.execute(
            select(Posting.amount)
            .join(LedgerAccount, LedgerAccount.id == Posting.ledger_account_id)
            .where(LedgerAccount.public_id == pending)
        ).scalars()
        return [-amount for amount in amounts]


def _entries_of(db: Database, payment_id: str) -> int:
    with db.unit_of_work() as session:
        found = session.execute(
            select(func.count())
            .select_from(JournalEntry)
            .where(JournalEntry.kind == "qr_payment")
            .where(JournalEntry.details["payment"].as_string() == payment_id)
        ).scalar_one()
        return int(found)


def test_many_qr_payments_at_once_each_decided_as_if_alone(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    # 20 payers who can pay, 2 of them Class II (limit counters), 4 who cannot (too little money),
    # one customer paying two codes whose sum passes the daily dynamic limit (¥1,000: one of the two
    # is refused), and 4 payments of the store's static code.
    amounts = [1_000 + 37 * n for n in range(20)]
    payers = [payer(bank, 50_000, account_class="II" if n < 2 else "I") for n in range(20)]
    poor = [payer(bank, 500) for _ in range(4)]
    eager = payer(bank, 200_000)
    static_payers = [payer(bank, 10_000) for _ in range(4)]
    dynamic = [order_qr(client, till, order_of(client, till, amount)) for amount in [*amounts, 2_000, 2_000]]
    eager_codes = [order_qr(client, till, order_of(client, till, 60_000)) for _ in range(2)]
    static = client.get(f"/v1/stores/{till.store_id}/qr", headers=pos(till.cashier)).json()["payload"]
    work: list[tuple[Payer, str, int | None]] = [
        *((who, code, None) for who, code in zip(payers, dynamic, strict=False)),
        *((who, code, None) for who, code in zip(poor, dynamic[20:] * 2, strict=True)),
        *((eager, code, None) for code in eager_codes),
        *((who, static, 3_000) for who in static_payers),
    ]
    answers = _at_once(len(work), lambda n: pay_qr(client, work[n][0], work[n][1], amount=work[n][2]))

    statuses = [answer.status_code for answer in answers]
    assert statuses[:20] == [201] * 20
    assert [answers[n].json()["code"] for n in range(20, 24)] == ["insufficient_funds"] * 4
    eager_answers = sorted((a.status_code, a.json().get("code")) for a in answers[24:26])
    assert eager_answers == [(201, None), (422, "qr_limit_exceeded")]
    assert statuses[26:] == [201] * 4
    booked = [answer.json() for answer in answers if answer.status_code == 201]
    total = sum(amounts) + 60_000 + 4 * 3_000
    assert sum(payment["amount"] for payment in booked) == total
    # The pending account moved by exactly these payments, each booked once.
    assert pending_balance(db, till.merchant_id) == total
    assert sorted(_pending_postings(db, till.merchant_id)) == sorted(p["amount"] for p in booked)
    assert all(_entries_of(db, payment["id"]) == 1 for payment in booked)
    assert [bank.balance(p.account_id) for p in payers] == [50_000 - amount for amount in amounts]
    assert [bank.balance(p.account_id) for p in poor] == [500] * 4
    assert bank.balance(eager.account_id) == 200_000 - 60_000
    assert [bank.balance(p.account_id) for p in static_payers] == [7_000] * 4
    with db.unit_of_work() as session:
        check_book(session)  # balanced entries, balances equal to their postings, trial balance zero

    # A retry with the first's Idempotency-Key answers the same, and books nothing more.
    again = pay_qr(client, payers[0], dynamic[0], key=answers[0].headers["Idempotency-Key"])
    assert (again.status_code, again.json()) == (201, answers[0].json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert pending_balance(db, till.merchant_id) == total


def test_one_code_paid_by_several_customers_at_once_pays_once(
    client: TestClient, db: Database, bank: Bank, till: Till
) -> None:
    payers = [payer(bank, 50_000) for _ in range(6)]
    code = order_qr(client, till, order_of(client, till, 4_200))
    answers = _at_once(len(payers), lambda n: pay_qr(client, payers[n], code))

    assert sorted(answer.status_code for answer in answers) == [201] + [409] * 5
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"qr_code_used"}
    assert sorted(bank.balance(p.account_id) for p in payers) == [50_000 - 4_200] + [50_000] * 5
    assert pending_balance(db, till.merchant_id) == 4_200
    (paid,) = [answer.json() for answer in answers if answer.status_code == 201]
    assert _entries_of(db, paid["id"]) == 1
    with db.unit_of_work() as session:
        check_book(session)
