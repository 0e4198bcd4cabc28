"""Off-us cards at our merchants: routed by BIN to the simulated issuer over ISO 8583."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.interbank.models import CardAuthorisation
from finlife.kit.db import Database
from tests.accounts.support import Bank, trial_balance_total
from tests.banksim.process import SimulatorProcess
from tests.banksim.support import (
    ALICE,
    ALICE_FUNDS,
    BLOCKED_PAN,
    BOB,
    BOB_FUNDS,
    EXPIRED_PAN,
    EXPIRY,
    GOOD_PAN,
    PIN,
    POOR_PAN,
    balance,
    set_fault,
    wait_in_flight,
)
from tests.cashier.support import Till
from tests.interbank.support import OtherBank, clearing_balance, dead_endpoint, register
from tests.payments.support import card, order_of, payer, pending_balance, tender


def _card(pan: str, amount: int, *, pin: str | None = PIN, expiry: str = EXPIRY) -> dict[str, object]:
    body: dict[str, object] = {
        "method": "card",
        "amount": amount,
        "pan": pan,
        "expiry": expiry,
        "entry_mode": "chip",
    }
    return body | ({"pin": pin} if pin is not None else {})


def _statuses(db: Database) -> list[tuple[str, str | None]]:
    with db.unit_of_work() as session:
        rows = session.execute(select(CardAuthorisation).order_by(CardAuthorisation.id)).scalars()
        return [(row.status, row.response_code) for row in rows]


def _nothing_moved(db: Database, other_bank: OtherBank, till: Till) -> None:
    assert pending_balance(db, till.merchant_id) == 0
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS
    assert trial_balance_total(db) == 0


def test_another_banks_card_is_approved_by_its_issuer_and_booked_on_clearing(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    order_id = order_of(client, till, 12_345)
    answer = tender(client, till, order_id, _card(GOOD_PAN, 12_345))
    assert answer.status_code == 201, answer.text
    paid = answer.json()
    assert (paid["status"], paid["response_code"], paid["order_status"]) == ("approved", "00", "paid")
    assert paid["card"] == "6228 **** **** 0018" and paid["fee"]["total"] > 0
    assert balance(other_bank.simulator, ALICE["account_number"]) == ALICE_FUNDS - 12_345
    assert pending_balance(db, till.merchant_id) == 12_345
    assert clearing_balance(db, other_bank.clearing_account_id) == 12_345  # the issuer owes us
    assert trial_balance_total(db) == 0
    assert _statuses(db) == [("approved", "00")]
    with db.unit_of_work() as session:
        rrns = session.execute(select(CardAuthorisation.rrn, CardAuthorisation.stan)).all()
    assert len(rrns[0].rrn) == 12 and rrns[0].rrn.endswith(rrns[0].stan)


@pytest.mark.parametrize(
    ("pan", "amount", "pin", "expiry", "code", "reason"),
    [
        ("6228489999999999", 100, PIN, EXPIRY, "14", "invalid_card"),
        (BLOCKED_PAN, 100, PIN, EXPIRY, "57", "not_permitted"),
        (EXPIRED_PAN, 100, PIN, "2001", "54", "expired_card"),
        (GOOD_PAN, 100, "000000", EXPIRY, "55", "wrong_pin"),
        (GOOD_PAN, 5_000_001, PIN, EXPIRY, "61", "exceeds_limit"),
        (POOR_PAN, BOB_FUNDS + 1, PIN, EXPIRY, "51", "insufficient_funds"),
    ],
)
def test_the_issuers_declines_map_to_the_on_us_reasons(
    client: TestClient,
    db: Database,
    other_bank: OtherBank,
    till: Till,
    pan: str,
    amount: int,
    pin: str,
    expiry: str,
    code: str,
    reason: str,
) -> None:
    order_id = order_of(client, till, amount)
    answer = tender(client, till, order_id, _card(pan, amount, pin=pin, expiry=expiry))
    assert answer.status_code == 402, answer.text
    body = answer.json()
    assert (body["code"], body["response_code"], body["reason"]) == ("card_declined", code, reason)
    assert _statuses(db) == [("declined", code)]
    assert balance(other_bank.simulator, BOB["account_number"]) == BOB_FUNDS
    _nothing_moved(db, other_bank, till)


def test_the_decline_fault_is_do_not_honour(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    set_fault(other_bank.simulator, "decline")
    answer = tender(client, till, order_of(client, till, 500), _card(GOOD_PAN, 500))
    assert (answer.status_code, answer.json()["reason"]) == (402, "do_not_honour")
    _nothing_moved(db, other_bank, till)


def test_a_dropped_answer_is_reversed_and_the_payment_declined(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    set_fault(other_bank.simulator, "drop")
    answer = tender(client, till, order_of(client, till, 700), _card(GOOD_PAN, 700))
    assert answer.status_code == 402, answer.text
    assert (answer.json()["response_code"], answer.json()["reason"]) == ("91", "issuer_unavailable")
    assert _statuses(db) == [("reversed", "91")]  # the issuer had booked it; the reversal undid it
    _nothing_moved(db, other_bank, till)


def test_a_late_approval_after_the_reversal_moves_money_on_neither_side(
    client: TestClient, db: Database, other_bank: OtherBank, till: Till
) -> None:
    set_fault(other_bank.simulator, "slow", 30)  # held until lifted; the bank's timeout is 0.4 s
    answer = tender(client, till, order_of(client, till, 900), _card(GOOD_PAN, 900))
    assert (answer.status_code, answer.json()["response_code"]) == (402, "91")
    assert _statuses(db) == [("reversed", "91")]
    wait_in_flight(other_bank.simulator, 1)  # the purchase is still held at the issuer, after its reversal
    set_fault(other_bank.simulator, "none")
    wait_in_flight(other_bank.simulator, 0)  # ... and now decided there
    _nothing_moved(db, other_bank, till)


def test_a_route_that_is_down_falls_back_to_the_next_endpoint(
    client: TestClient, db: Database, simulator: SimulatorProcess, admin: str, till: Till
) -> None:
    clearing = register(
        client, admin, simulator, endpoints=[dead_endpoint(), f"127.0.0.1:{simulator.iso8583_port}"]
    )
    for _ in range(2):
        answer = tender(client, till, order_of(client, till, 100), _card(GOOD_PAN, 100))
        assert answer.status_code == 201, answer.text
    assert clearing_balance(db, clearing) == 200
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS - 200
    assert trial_balance_total(db) == 0


def test_no_reachable_endpoint_declines_without_reversal(
    client: TestClient, db: Database, simulator: SimulatorProcess, admin: str, till: Till
) -> None:
    register(client, admin, simulator, endpoints=[dead_endpoint()])
    answer = tender(client, till, order_of(client, till, 100), _card(GOOD_PAN, 100))
    assert (answer.status_code, answer.json()["response_code"]) == (402, "91")
    assert _statuses(db) == [("declined", "91")]
    assert trial_balance_total(db) == 0


def test_on_us_cards_still_take_the_on_us_path(
    client: TestClient, db: Database, bank: Bank, other_bank: OtherBank, till: Till
) -> None:
    who = payer(bank, 10_000)
    answer = tender(client, till, order_of(client, till, 1_000), card(who, 1_000))
    assert answer.status_code == 201, answer.text
    assert _statuses(db) == []
    assert clearing_balance(db, other_bank.clearing_account_id) == 0
