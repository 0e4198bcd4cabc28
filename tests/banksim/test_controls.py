"""The simulator's test controls: reset to the accounts file, open an account."""

from __future__ import annotations

from datetime import datetime

import httpx

from finlife.banksim.books import BUSINESS_TZ
from finlife.banksim.simulator import BankSimulator
from tests.banksim.support import (
    ALICE,
    ALICE_FUNDS,
    GOOD_PAN,
    balance,
    exchange,
    open_account,
    purchase,
    set_fault,
)


def test_reset_restores_balances_forgets_answers_and_lifts_the_fault(simulator: BankSimulator) -> None:
    request = purchase(GOOD_PAN, 1_000, "000000000001")
    assert exchange(simulator.iso8583_port, request)["39"] == "00"
    set_fault(simulator, "decline")
    assert httpx.post(f"{simulator.http_url}/reset").status_code == 200
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS
    again = exchange(simulator.iso8583_port, request)  # the same RRN is a new request after a reset
    assert again["39"] == "00" and balance(simulator, ALICE["account_number"]) == ALICE_FUNDS - 1_000
    today = datetime.now(BUSINESS_TZ).date().isoformat()
    lines = httpx.get(f"{simulator.http_url}/settlement/{today}").text.splitlines()
    assert len(lines) == 2  # the header and the one booking since the reset


def test_an_opened_account_is_known_and_its_number_cannot_be_taken_twice(simulator: BankSimulator) -> None:
    open_account(simulator, "62280005001", "赵敏", "110105194912310053", 250)
    assert balance(simulator, "62280005001") == 250
    taken = httpx.post(
        f"{simulator.http_url}/accounts",
        json={"account_number": "62280005001", "name": "别人", "id_number": "1"},
    )
    assert taken.status_code == 409
    assert httpx.post(f"{simulator.http_url}/reset").status_code == 200
    assert httpx.get(f"{simulator.http_url}/accounts/62280005001").status_code == 404
