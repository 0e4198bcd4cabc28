"""Real concurrency on PostgreSQL: row locks in id order keep balances exact and never deadlock."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.errors import EntryAlreadyReversed, HoldNotPending, InsufficientFunds
from tests.ledger.support import SYSTEM, cash_in, check_book, deposit_account, transfer

pytestmark = pytest.mark.postgres_only


def _race(db: Database, jobs: list[Callable[[], object]]) -> Counter[str]:
    """Start every job at once, each in its own thread; count outcomes by exception class name."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], object]) -> str:
        start.wait()
        try:
            job()
        except Exception as exc:  # the test asserts on the names: anything unexpected shows up
            return type(exc).__name__
        return "ok"

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return Counter(pool.map(run, jobs))


def _in_own_unit(
    db: Database, work: Callable[..., object], *args: object, **kwargs: object
) -> Callable[[], object]:
    def job() -> object:
        with db.unit_of_work() as session:
            return work(session, *args, **kwargs)

    return job


def _book_is_sound(db: Database) -> None:
    with db.unit_of_work() as session:
        check_book(session)


def test_fifty_payments_against_a_balance_for_thirty(db: Database) -> None:
    with db.unit_of_work() as session:
        payer = deposit_account(session)
        payees = [deposit_account(session) for _ in range(5)]
        cash_in(session, payer, 30 * 1_000)
    jobs = [_in_own_unit(db, transfer, payer, payees[i % 5], 1_000) for i in range(50)]
    outcomes = _race(db, jobs)
    assert outcomes == Counter({"ok": 30, "InsufficientFunds": 20})
    with db.unit_of_work() as session:
        assert ledger.balance(session, payer).ledger == 0
        assert sum(ledger.balance(session, p).ledger for p in payees) == 30_000
    _book_is_sound(db)


def test_crossing_transfers_never_deadlock(db: Database) -> None:
    with db.unit_of_work() as session:
        a, b = deposit_account(session), deposit_account(session)
        cash_in(session, a, 100_000)
        cash_in(session, b, 100_000)
    jobs = [_in_own_unit(db, transfer, *((a, b) if i % 2 else (b, a)), 100 + i) for i in range(40)]
    outcomes = _race(db, jobs)
    assert outcomes == Counter({"ok": 40})
    moved_to_b = sum(100 + i for i in range(40) if i % 2) - sum(100 + i for i in range(40) if not i % 2)
    with db.unit_of_work() as session:
        assert ledger.balance(session, a).ledger == 100_000 - moved_to_b
        assert ledger.balance(session, b).ledger == 100_000 + moved_to_b
    _book_is_sound(db)


def test_concurrent_reversals_of_one_entry_reverse_it_once(db: Database) -> None:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        entry_id = cash_in(session, account, 5_000)
        cash_in(session, account, 5_000)
    jobs = [_in_own_unit(db, ledger.reverse, SYSTEM, entry_id) for _ in range(10)]
    outcomes = _race(db, jobs)
    assert outcomes == Counter({"ok": 1, EntryAlreadyReversed.__name__: 9})
    with db.unit_of_work() as session:
        assert ledger.balance(session, account).ledger == 5_000
    _book_is_sound(db)


def test_touching_an_expired_hold_while_paying_from_its_account_never_deadlocks(db: Database) -> None:
    # A capture or void locks the hold; a posting on the same account expires that hold. Both must
    # take the account first, or the two wait for each other.
    with db.unit_of_work() as session:
        accounts = [deposit_account(session) for _ in range(15)]
        sink = deposit_account(session)
        for account in accounts:
            cash_in(session, account, 1_000)
        holds = [
            ledger.place_hold(session, SYSTEM, account=a, amount=900, currency="CNY", expires_in=60).id
            for a in accounts
        ]
    clock.advance(timedelta(minutes=2))
    jobs: list[Callable[[], object]] = []
    for account, hold_id in zip(accounts, holds, strict=True):
        jobs.append(_in_own_unit(db, ledger.void_hold, SYSTEM, hold_id))
        jobs.append(_in_own_unit(db, transfer, account, sink, 1_000))
    outcomes = _race(db, jobs)
    assert outcomes == Counter({"ok": 15, HoldNotPending.__name__: 15})
    with db.unit_of_work() as session:
        assert ledger.balance(session, sink).ledger == 15_000
    _book_is_sound(db)


def test_holds_and_payments_racing_for_the_same_money_never_overspend(db: Database) -> None:
    with db.unit_of_work() as session:
        payer, payee = deposit_account(session), deposit_account(session)
        cash_in(session, payer, 10_000)

    hold = _in_own_unit(
        db, ledger.place_hold, SYSTEM, account=payer, amount=1_000, currency="CNY", expires_in=600
    )
    jobs = [hold if i % 2 else _in_own_unit(db, transfer, payer, payee, 1_000) for i in range(30)]
    outcomes = _race(db, jobs)
    assert outcomes == Counter({"ok": 10, InsufficientFunds.__name__: 20})
    with db.unit_of_work() as session:
        shown = ledger.balance(session, payer)
        assert shown.available == 0 and shown.ledger == shown.held
    _book_is_sound(db)


def test_captures_and_payments_back_to_the_payer_never_deadlock(db: Database) -> None:
    # The merchant's account is older (lower id) than its customers'; a capture locks the payer and
    # the merchant, a refund the merchant and the payer: both must lock them in id order.
    with db.unit_of_work() as session:
        merchant = deposit_account(session)
        cash_in(session, merchant, 100_000)
        customers = [deposit_account(session) for _ in range(15)]
        for customer in customers:
            cash_in(session, customer, 1_000)
        holds = [
            ledger.place_hold(
                session, SYSTEM, account=c, amount=500, currency="CNY", expires_in=600, destination=merchant
            ).id
            for c in customers
        ]
    jobs: list[Callable[[], object]] = []
    for customer, hold_id in zip(customers, holds, strict=True):
        jobs.append(
            _in_own_unit(db, ledger.capture_hold, SYSTEM, hold_id, amount=400, default_destination=merchant)
        )
        jobs.append(_in_own_unit(db, transfer, merchant, customer, 100))
    outcomes = _race(db, jobs)
    assert outcomes == Counter({"ok": 30})
    with db.unit_of_work() as session:
        assert ledger.balance(session, merchant).ledger == 100_000 + 15 * 300
        assert all(ledger.balance(session, c).available == 700 for c in customers)
    _book_is_sound(db)
