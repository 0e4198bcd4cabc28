"""The simulated bank over HTTP: pacs.008 in, pacs.002 out, balances, faults, bindings, settlement."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from finlife.banksim.simulator import BankSimulator
from finlife.kit import iso20022
from tests.banksim.support import (
    ALICE,
    ALICE_FUNDS,
    BOB,
    CODE,
    GOOD_PAN,
    accounts_spec,
    balance,
    business_day,
    credit_transfer,
    exchange,
    free_port,
    purchase,
    set_fault,
)


def _send(simulator: BankSimulator, transfer: iso20022.CreditTransfer) -> iso20022.StatusReport:
    answer = httpx.post(
        f"{simulator.http_url}/iso20022/pacs.008",
        content=iso20022.build_pacs008(transfer),
        headers={"Content-Type": iso20022.CONTENT_TYPE},
    )
    assert answer.status_code == 200, answer.text
    return iso20022.parse_pacs002(answer.content)


def test_a_transfer_in_is_credited_once_per_uetr(simulator: BankSimulator) -> None:
    transfer = credit_transfer(to=ALICE, amount=2_500)
    first = _send(simulator, transfer)
    assert first.status == "ACSC" and first.uetr == transfer.uetr and first.reason is None
    assert first.original_msg_id == transfer.msg_id and first.end_to_end_id == transfer.end_to_end_id
    assert _send(simulator, transfer) == first
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS + 2_500


def test_rejections_carry_a_reason_and_move_nothing(simulator: BankSimulator) -> None:
    unknown = {"account_number": "999", "name": "王芳"}
    assert _send(simulator, credit_transfer(to=unknown, amount=1)).reason == "AC01"
    wrong_name = {"account_number": ALICE["account_number"], "name": "王小芳"}
    assert _send(simulator, credit_transfer(to=wrong_name, amount=1)).reason == "BE01"
    set_fault(simulator, "decline")
    rejected = _send(simulator, credit_transfer(to=ALICE, amount=1))
    assert (rejected.status, rejected.reason) == ("RJCT", "AG01")
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS


def test_a_dropped_answer_still_applies_the_transfer_once(simulator: BankSimulator) -> None:
    set_fault(simulator, "drop")
    transfer = credit_transfer(to=ALICE, amount=300)
    try:
        httpx.post(f"{simulator.http_url}/iso20022/pacs.008", content=iso20022.build_pacs008(transfer))
        raise AssertionError("an answer came back")
    except httpx.TransportError:
        pass
    set_fault(simulator, "none")
    assert _send(simulator, transfer).status == "ACSC"  # the sender's retry learns the outcome
    assert balance(simulator, ALICE["account_number"]) == ALICE_FUNDS + 300


def test_malformed_messages_and_unknown_accounts_are_refused(simulator: BankSimulator) -> None:
    assert httpx.post(f"{simulator.http_url}/iso20022/pacs.008", content=b"<x/>").status_code == 400
    assert httpx.get(f"{simulator.http_url}/accounts/404").status_code == 404
    assert httpx.post(f"{simulator.http_url}/faults", json={"mode": "sideways"}).status_code == 400


def test_binding_verification_needs_the_same_name_and_id_number(simulator: BankSimulator) -> None:
    url = f"{simulator.http_url}/bindings/verify"
    assert httpx.post(url, json=ALICE).json() == {"verified": True}
    assert httpx.post(url, json={**ALICE, "id_number": BOB["id_number"]}).json() == {"verified": False}
    assert httpx.post(url, json={**BOB, "account_number": "1"}).json() == {"verified": False}


def test_the_settlement_file_lists_the_days_standing_bookings(
    simulator: BankSimulator, tmp_path: Path
) -> None:
    transfer = credit_transfer(to=ALICE, amount=2_000)
    _send(simulator, transfer)
    assert exchange(simulator.iso8583_port, purchase(GOOD_PAN, 800, "000000000011"))["39"] == "00"
    today = business_day().isoformat()
    written = httpx.post(f"{simulator.http_url}/end-of-day", json={"date": today}).json()["path"]
    rows = list(csv.DictReader(io.StringIO(Path(written).read_text(encoding="utf-8"))))
    assert {(r["reference"], r["kind"], int(r["amount"])) for r in rows} == {
        (transfer.uetr, "transfer_in", 2_000),
        ("000000000011", "card_payment", -800),
    }
    assert all(r["bank"] == CODE and r["business_date"] == today for r in rows)
    assert Path(written).parent == tmp_path / "settlement"


def test_the_command_runs_the_bank_as_its_own_process(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.json"
    accounts.write_text(json.dumps(accounts_spec(), ensure_ascii=False), encoding="utf-8")
    iso_port, http_port = free_port(), free_port()
    command = [sys.executable, "-m", "finlife.cli", "bank-sim", "--code", CODE]
    command += ["--iso8583-port", str(iso_port), "--http-port", str(http_port), "--accounts", str(accounts)]
    process = subprocess.Popen(command, env=os.environ | {"FINLIFE_DATABASE_URL": "sqlite:///:memory:"})  # noqa: S603
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{http_port}/healthz")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the simulator did not start"
                time.sleep(0.1)
        assert answer.json() == {"code": CODE, "bins": ["622848"]}
        assert exchange(iso_port, purchase(GOOD_PAN, 100, "000000000012"))["39"] == "00"
        assert httpx.get(f"http://127.0.0.1:{http_port}/accounts/{ALICE['account_number']}").json() == {
            "balance": ALICE_FUNDS - 100
        }
    finally:
        process.terminate()
        process.wait(timeout=10)
