"""The other bank for tests: a simulator on free loopback ports with a few test cards and accounts,
and small wire clients (ISO 8583 over TCP, ISO 20022 and controls over HTTP)."""

from __future__ import annotations

import json
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from finlife.banksim.books import BUSINESS_TZ
from finlife.banksim.simulator import BankSimulator
from finlife.kit import iso8583, iso20022

CODE = "ZXB"
BIN = "622848"
PIN = "135790"
GOOD_PAN = f"{BIN}0000000018"
POOR_PAN = f"{BIN}0000000026"
EXPIRED_PAN = f"{BIN}0000000034"
BLOCKED_PAN = f"{BIN}0000000042"
EXPIRY = "3012"
ALICE = {"account_number": "62280001001", "name": "王芳", "id_number": "11010519491231002X"}
BOB = {"account_number": "62280001002", "name": "李强", "id_number": "110105194912310037"}
ALICE_FUNDS = 1_000_000
BOB_FUNDS = 500


def accounts_spec() -> list[dict[str, Any]]:
    return [
        {
            **ALICE,
            "balance": ALICE_FUNDS,
            "cards": [
                {"pan": GOOD_PAN, "expiry": EXPIRY, "pin": PIN},
                {"pan": EXPIRED_PAN, "expiry": "2001", "pin": PIN},
                {"pan": BLOCKED_PAN, "expiry": EXPIRY, "pin": PIN, "status": "blocked"},
            ],
        },
        {**BOB, "balance": BOB_FUNDS, "cards": [{"pan": POOR_PAN, "expiry": EXPIRY, "pin": PIN}]},
    ]


class OnLoopback(Protocol):
    """The other bank as the tests reach it: in this process (``BankSimulator``) or as its own
    (``tests.banksim.process.SimulatorProcess``)."""

    @property
    def iso8583_port(self) -> int: ...

    @property
    def http_url(self) -> str: ...


def write_accounts(folder: Path, code: str = CODE) -> Path:
    accounts = folder / f"{code}-accounts.json"
    accounts.write_text(json.dumps(accounts_spec(), ensure_ascii=False), encoding="utf-8")
    return accounts


@contextmanager
def running_simulator(tmp_path: Path, code: str = CODE) -> Iterator[BankSimulator]:
    accounts = write_accounts(tmp_path, code)
    simulator = BankSimulator(code, accounts_file=accounts, settlement_dir=tmp_path / "settlement").start()
    try:
        yield simulator
    finally:
        simulator.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def exchange(port: int, message: iso8583.Message, *, timeout: float = 5.0) -> iso8583.Message:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(iso8583.encode(message))
        return iso8583.read_message(sock)


def purchase(
    pan: str, amount: int, rrn: str, *, pin: str | None = PIN, expiry: str = EXPIRY, stan: str = "000001"
) -> iso8583.Message:
    message = {
        "t": iso8583.FINANCIAL,
        "2": pan,
        "3": "000000",
        "4": f"{amount:012d}",
        "7": "0101120000",
        "11": stan,
        "14": expiry,
        "22": "051",
        "37": rrn,
        "41": "TERM0001",
        "42": "MERCHANT0000001",
        "49": iso8583.CNY_NUMERIC,
    }
    if pin is not None:
        message["52"] = iso8583.pin_block(pin, pan)
    return message


def reversal_of(message: iso8583.Message) -> iso8583.Message:
    return {**{k: v for k, v in message.items() if k != "52"}, "t": iso8583.REVERSAL}


def open_account(simulator: OnLoopback, number: str, name: str, id_number: str, balance: int = 0) -> None:
    answer = httpx.post(
        f"{simulator.http_url}/accounts",
        json={"account_number": number, "name": name, "id_number": id_number, "balance": balance},
    )
    assert answer.status_code == 201, answer.text


def balance(simulator: OnLoopback, account_number: str) -> int:
    answer = httpx.get(f"{simulator.http_url}/accounts/{account_number}")
    assert answer.status_code == 200, answer.text
    value: int = answer.json()["balance"]
    return value


def wait_in_flight(simulator: OnLoopback, count: int, *, within: float = 10.0) -> None:
    """Wait until exactly ``count`` money-moving ISO 8583 requests have arrived at the other bank and
    are not yet decided there (a slow one is held); polled, failing after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        now_in_flight = httpx.get(f"{simulator.http_url}/stats").json()["iso8583"]["in_flight"]
        if now_in_flight == count:
            return
        assert time.monotonic() < deadline, f"{now_in_flight} requests in flight, not {count}"
        time.sleep(0.01)


def set_fault(simulator: OnLoopback, mode: str, seconds: float | None = None) -> None:
    body: dict[str, Any] = {"mode": mode} | ({"seconds": seconds} if seconds is not None else {})
    answer = httpx.post(f"{simulator.http_url}/faults", json=body)
    assert answer.status_code == 200, answer.text


def credit_transfer(
    *, to: dict[str, str], amount: int, uetr: str | None = None, debtor_bank: str = "FLB"
) -> iso20022.CreditTransfer:
    uetr = uetr or str(uuid.uuid4())
    return iso20022.CreditTransfer(
        msg_id=f"M{uuid.uuid4().hex[:20]}",
        uetr=uetr,
        end_to_end_id=f"E{uetr[:8]}",
        amount=amount,
        currency="CNY",
        settlement_date=business_day(),
        debtor_bank=debtor_bank,
        debtor_account="6210000000000001",
        debtor_name="张三",
        creditor_bank=CODE,
        creditor_account=to["account_number"],
        creditor_name=to["name"],
    )


def business_day() -> date:
    """Today in the simulated bank's time zone (Asia/Shanghai): from 16:00 UTC it is already tomorrow."""
    return datetime.now(BUSINESS_TZ).date()
