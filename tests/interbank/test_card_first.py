"""Off-us cards authorised first and booked after: nothing locked while the issuer decides, a
replay asks nothing, an answer never booked is reversed, a crash between the two is swept up."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from finlife.interbank import service as interbank
from finlife.interbank.models import CardAuthorisation
from finlife.interbank.service import card as card_service
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.merchants import service as merchants
from finlife.payments import service as payments
from finlife.settings import Settings
from tests.accounts.support import trial_balance_total
from tests.banksim.process import SimulatorProcess
from tests.banksim.support import (
    ALICE,
    ALICE_FUNDS,
    EXPIRY,
    GOOD_PAN,
    PIN,
    balance,
    set_fault,
    wait_in_flight,
)
from tests.cashier.support import Till, add_terminal, goods, pos
from tests.catalog.support import variation
from tests.interbank.flows import off_us_card
from tests.interbank.support import OtherBank, clearing_balance, register
from tests.payments.support import order_of, pending_balance, tender
from tests.web.shops import open_shop
from tests.web.test_pos_pages import Pos


def _rows(db: Database) -> list[tuple[str, str | None, str | None]]:
    with db.unit_of_work() as session:
        rows = session.execute(select(CardAuthorisation).order_by(CardAuthorisation.id)).scalars()
        return [(row.status, row.response_code, row.entry_id and "booked") for row in rows]


def _issuer_requests(simulator: SimulatorProcess | Any) -> int:
    return int(httpx.get(f"{simulator.http_url}/stats").json()["iso8583"]["requests"])


def _nothing_moved(db: Database, other_bank: OtherBank, till: Till) -> None:
    assert pending_balance(db, till.merchant_id) == 0
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS
    assert trial_balance_total(db) == 0


def _nothing_locked(db: Database, order_id: str, ledger_ids: list[str]) -> None:
    """Another transaction takes the order's row and both ledger rows at once (PostgreSQL: NOWAIT),
    or SQLite's one writer lock without waiting: the payment in flight holds none of them."""
    if db.is_sqlite:
        raw = db.engine.raw_connection()
        try:
            raw.execute("PRAGMA busy_timeout=0")
            raw.execute("BEGIN IMMEDIATE")  # fails at once ("database is locked") if a writer is open
            raw.execute("ROLLBACK")
            raw.execute("PRAGMA busy_timeout=30000")
        finally:
            raw.close()
        return
    with db.unit_of_work() as session:
        locked = session.execute(
            text("SELECT id FROM cashier_orders WHERE public_id = :id FOR UPDATE NOWAIT"), {"id": order_id}
        ).all()
        assert len(locked) == 1
        accounts = session.execute(
            text("SELECT id FROM ledger_accounts WHERE public_id = ANY(:ids) FOR UPDATE NOWAIT"),
            {"ids": ledger_ids},
        ).all()
        assert len(accounts) == 2


def test_nothing_is_locked_while_the_issuer_decides(
    client: TestClient, db: Database, simulator: SimulatorProcess, admin: str, till: Till
) -> None:
    clearing = register(client, admin, simulator, timeout_ms=20_000)
    order_id = order_of(client, till, 4_200)
    with db.unit_of_work() as session:
        pending = merchants.merchant_facts(session, till.merchant_id).pending_ledger_account_id
    assert pending is not None
    set_fault(simulator, "slow", 30)  # held at the issuer until lifted
    answers: list[httpx.Response] = []
    paying = threading.Thread(
        target=lambda: answers.append(tender(client, till, order_id, off_us_card(GOOD_PAN, 4_200)))
    )
    paying.start()
    try:
        wait_in_flight(simulator, 1)  # the 0200 is at the issuer, unanswered
        assert _rows(db) == [("sent", None, None)]  # committed before it went out
        _nothing_locked(db, order_id, [clearing, pending])
    finally:
        set_fault(simulator, "none")
        paying.join(timeout=30)
    assert answers[0].status_code == 201, answers[0].text
    assert _rows(db) == [("approved", "00", "booked")]
    assert clearing_balance(db, clearing) == 4_200
    assert pending_balance(db, till.merchant_id) == 4_200
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS - 4_200
    assert trial_balance_total(db) == 0


def test_a_replay_asks_the_issuer_nothing_and_books_once(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    order_id = order_of(client, till, 1_500)
    before = _issuer_requests(other_bank.simulator)
    first = tender(client, till, order_id, off_us_card(GOOD_PAN, 1_500), key="card-once")
    again = tender(client, till, order_id, off_us_card(GOOD_PAN, 1_500), key="card-once")
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.headers["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert _issuer_requests(other_bank.simulator) == before + 1
    assert _rows(db) == [("approved", "00", "booked")]
    assert clearing_balance(db, other_bank.clearing_account_id) == 1_500
    assert pending_balance(db, till.merchant_id) == 1_500
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 1_500
    assert trial_balance_total(db) == 0


def test_an_approval_the_payment_cannot_use_is_reversed(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    order_id = order_of(client, till, 2_000)
    ask = interbank.ask_issuer

    def cancelled_meanwhile(pending: interbank.Pending) -> interbank.IssuerAnswer:
        answer = ask(pending)  # approved at the issuer; then the order goes away before booking
        cancelled = client.post(f"/v1/orders/{order_id}/cancel", headers=pos(till.cashier))
        assert cancelled.status_code == 200, cancelled.text
        return answer

    monkeypatch.setattr(interbank, "ask_issuer", cancelled_meanwhile)
    answer = tender(client, till, order_id, off_us_card(GOOD_PAN, 2_000))
    assert (answer.status_code, answer.json()["code"]) == (409, "order_not_open")
    assert _rows(db) == [("reversed", "00", None)]  # the issuer's approval, undone by our reversal
    _nothing_moved(db, other_bank, till)


def test_a_crash_between_the_answer_and_the_booking_is_reversed_by_the_sweep(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till, monkeypatch: pytest.MonkeyPatch
) -> None:
    order_id = order_of(client, till, 3_300)

    def crash(*_: object, **__: object) -> None:
        raise RuntimeError("the node died before booking")

    with monkeypatch.context() as patched:  # the node dies after the answer: nothing after it runs
        patched.setattr(interbank, "book_card_answer", crash)
        patched.setattr(payments, "give_up_off_us", lambda *_: None)
        with pytest.raises(RuntimeError):
            tender(client, till, order_id, off_us_card(GOOD_PAN, 3_300))
    assert _rows(db) == [("sent", None, None)]
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 3_300  # issuer has it

    assert interbank.retry_pending_reversals(db.engine) == (0, 0)  # a request may still be booking it
    clock.advance(card_service.UNBOOKED_AFTER + timedelta(seconds=1))
    assert interbank.retry_pending_reversals(db.engine) == (1, 0)
    assert _rows(db) == [("reversed", "91", None)]
    _nothing_moved(db, other_bank, till)
    assert interbank.retry_pending_reversals(db.engine) == (0, 0)  # undone once

    # The order is still open: the customer pays again, normally.
    again = tender(client, till, order_id, off_us_card(GOOD_PAN, 3_300))
    assert again.status_code == 201, again.text
    assert pending_balance(db, till.merchant_id) == 3_300
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 3_300
    assert trial_balance_total(db) == 0


@pytest.mark.postgres_only
def test_many_off_us_payments_at_once_book_each_exactly_once(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    amounts = [100 + n for n in range(12)]
    orders = [order_of(client, till, amount) for amount in amounts]

    def pay(n: int) -> int:
        return tender(client, till, orders[n], off_us_card(GOOD_PAN, amounts[n])).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(pay, range(len(amounts))))
    assert statuses == [201] * len(amounts)
    assert _rows(db) == [("approved", "00", "booked")] * len(amounts)
    assert clearing_balance(db, other_bank.clearing_account_id) == sum(amounts)
    assert pending_balance(db, till.merchant_id) == sum(amounts)
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - sum(amounts)
    assert trial_balance_total(db) == 0


@pytest.mark.postgres_only
def test_timed_out_authorisations_at_once_are_all_reversed(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    orders = [order_of(client, till, 700) for _ in range(6)]
    set_fault(other_bank.simulator, "drop")  # booked at the issuer, the answers lost

    def pay(order_id: str) -> tuple[int, str]:
        answer = tender(client, till, order_id, off_us_card(GOOD_PAN, 700))
        return answer.status_code, answer.json()["response_code"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(pay, orders))
    assert outcomes == [(402, "91")] * 6
    assert _rows(db) == [("reversed", "91", None)] * 6
    _nothing_moved(db, other_bank, till)


def test_the_pos_page_books_an_off_us_card_once_and_keeps_it(
    client: TestClient, db: Database, settings: Settings, other_bank: OtherBank
) -> None:
    """The till's page asks first as the API does, and gives up only what it did not book."""
    shop = open_shop(client, db, settings)
    till = Till(
        shop.merchant_id,
        shop.owner_token,
        "",
        shop.store_id,
        add_terminal(client, shop.owner_token, shop.store_id),
    )
    at_till = Pos(shop, till, shop.cashier)
    at_till.choose()
    latte = goods(client, till, variation(price=1850, stock=40))[0]
    order_id = at_till.sale(latte)
    card = {"pan": GOOD_PAN, "expiry": f"{EXPIRY[2:]}/{EXPIRY[:2]}", "entry_mode": "chip", "pin": PIN}
    paid = at_till.tender(order_id, "card", card)
    assert paid.status_code == 303, paid.text
    assert _rows(db) == [("approved", "00", "booked")]
    assert clearing_balance(db, other_bank.clearing_account_id) == 1_850
    assert pending_balance(db, shop.merchant_id) == 1_850
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 1_850
    assert trial_balance_total(db) == 0
