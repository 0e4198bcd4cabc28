"""The simulated issuer answers ISO 8583 over TCP: approvals, each decline, reversals and faults."""

from __future__ import annotations

import socket
import threading

import pytest

from finlife.banksim.simulator import BankSimulator
from finlife.kit import iso8583
from tests.banksim.support import (
    ALICE,
    ALICE_FUNDS,
    BLOCKED_PAN,
    BOB,
    BOB_FUNDS,
    EXPIRED_PAN,
    GOOD_PAN,
    POOR_PAN,
    balance,
    exchange,
    purchase,
    reversal_of,
    set_fault,
    wait_in_flight,
)


def test_an_approved_purchase_debits_the_cardholder_once(simulator: BankSimulator) -> None:
    request = purchase(GOOD_PAN, 12_345, "000000000001")
    answer = exchange(simulator.iso8583_port, request)
    assert answer["t"] == "0210" and answer["39"] == "00" and len(answer["38"]) == 6
    assert answer["37"] == "000000000001" and answer["4"] == "000000012345"
    assert exchange(simulator.iso8583_port, request) == answer  # a repeat is answered, not applied
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS - 12_345


@pytest.mark.parametrize(
    ("pan", "amount", "pin", "expiry", "code"),
    [
        ("6228489999999999", 100, "135790", "3012", "14"),
        (BLOCKED_PAN, 100, "135790", "3012", "57"),
        (EXPIRED_PAN, 100, "135790", "2001", "54"),
        (GOOD_PAN, 100, "135790", "2912", "54"),
        (GOOD_PAN, 100, "000000", "3012", "55"),
        (GOOD_PAN, 5_000_001, "135790", "3012", "61"),
        (POOR_PAN, BOB_FUNDS + 1, "135790", "3012", "51"),
        (GOOD_PAN, 0, "135790", "3012", "13"),
    ],
)
def test_each_decline_code_moves_nothing(
    simulator: BankSimulator, pan: str, amount: int, pin: str, expiry: str, code: str
) -> None:
    answer = exchange(simulator.iso8583_port, purchase(pan, amount, "000000000002", pin=pin, expiry=expiry))
    assert answer["39"] == code
    assert "38" not in answer
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS
    assert balance(simulator, BOB["account_number"]) == BOB_FUNDS


def test_a_reversal_gives_the_money_back_once(simulator: BankSimulator) -> None:
    request = purchase(GOOD_PAN, 5_000, "000000000003")
    assert exchange(simulator.iso8583_port, request)["39"] == "00"
    for _ in range(2):  # a repeated reversal is acknowledged again without a second refund
        acknowledged = exchange(simulator.iso8583_port, reversal_of(request))
        assert acknowledged["t"] == "0410" and acknowledged["39"] == "00"
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS


def test_drop_books_the_purchase_but_sends_no_answer(simulator: BankSimulator) -> None:
    set_fault(simulator, "drop")
    request = purchase(GOOD_PAN, 700, "000000000004")
    with pytest.raises(TimeoutError):
        exchange(simulator.iso8583_port, request, timeout=0.3)
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS - 700
    assert exchange(simulator.iso8583_port, reversal_of(request))["39"] == "00"  # reversals still answered
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS


def test_a_late_purchase_after_its_reversal_is_not_applied(simulator: BankSimulator) -> None:
    set_fault(simulator, "slow", 30)  # held until the fault is lifted below
    request = purchase(GOOD_PAN, 900, "000000000005")
    answers: list[iso8583.Message] = []
    late = threading.Thread(
        target=lambda: answers.append(exchange(simulator.iso8583_port, request, timeout=30))
    )
    late.start()
    wait_in_flight(simulator, 1)  # the purchase is at the issuer, held
    assert exchange(simulator.iso8583_port, reversal_of(request))["39"] == "00"
    set_fault(simulator, "none")  # lets the held purchase go on, after its reversal
    late.join(timeout=10)
    assert not late.is_alive()
    assert answers[0]["39"] == "05"  # the issuer knew it was reversed, so it declined
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS


def test_the_decline_fault_answers_do_not_honour(simulator: BankSimulator) -> None:
    set_fault(simulator, "decline")
    assert exchange(simulator.iso8583_port, purchase(GOOD_PAN, 100, "000000000006"))["39"] == "05"
    set_fault(simulator, "none")
    assert exchange(simulator.iso8583_port, purchase(GOOD_PAN, 100, "000000000007"))["39"] == "00"


def test_one_connection_carries_many_messages_and_echo_tests(simulator: BankSimulator) -> None:
    with socket.create_connection(("127.0.0.1", simulator.iso8583_port), timeout=5) as sock:
        sock.sendall(iso8583.encode({"t": "0800", "7": "0101120000", "11": "000009"}))
        assert iso8583.read_message(sock)["t"] == "0810"
        for n in range(3):
            sock.sendall(iso8583.encode(purchase(GOOD_PAN, 10, f"00000000010{n}")))
            assert iso8583.read_message(sock)["39"] == "00"
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS - 30


def test_the_pin_block_hides_the_pin_and_round_trips() -> None:
    block = iso8583.pin_block("135790", GOOD_PAN)
    assert "135790" not in block and len(block) == 16
    assert iso8583.pin_from_block(block, GOOD_PAN) == "135790"
    assert iso8583.pin_from_block(block, "6228481234567890") != "135790"  # bound to its card
