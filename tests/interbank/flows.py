"""Money moving with the simulated bank through our API: off-us card payments, transfers out and in."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace
from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.accounts import service as accounts
from finlife.kit import iso20022
from tests.accounts.support import Bank, Person
from tests.banksim.support import CODE, EXPIRY, PIN, credit_transfer
from tests.cashier.support import Till
from tests.factories import headers
from tests.payments.support import order_of, tender


def off_us_card(pan: str, amount: int, *, pin: str | None = PIN, expiry: str = EXPIRY) -> dict[str, object]:
    body: dict[str, object] = {
        "method": "card",
        "amount": amount,
        "pan": pan,
        "expiry": expiry,
        "entry_mode": "chip",
    }
    return body | ({"pin": pin} if pin is not None else {})


def pay_off_us(client: TestClient, till: Till, pan: str, amount: int) -> dict[str, Any]:
    """An order of ``amount`` paid with another bank's card; the approved payment."""
    order_id = order_of(client, till, amount)
    answer = tender(client, till, order_id, off_us_card(pan, amount))
    assert answer.status_code == 201, answer.text
    return dict(answer.json()) | {"order_id": order_id}


def send(bank: Bank, person: Person, account_id: str, amount: int, to: dict[str, str]) -> httpx.Response:
    body = {"from_account_id": account_id, "destination": {"bank_code": CODE, **to}, "amount": amount}
    return bank.client.post(
        "/v1/transfers", json=body, headers=headers(person.token, **{"Idempotency-Key": str(uuid.uuid4())})
    )


def settled(bank: Bank, person: Person, transfer_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while True:
        answer = bank.client.get(f"/v1/transfers/{transfer_id}", headers=headers(person.token))
        assert answer.status_code == 200, answer.text
        if answer.json()["status"] != "pending" or time.monotonic() > deadline:
            return dict(answer.json())
        time.sleep(0.05)


def first_delivery_over(transfer_id: str, *, within: float = 10.0) -> None:
    """Wait until the delivery that followed the transfer's commit has ended, whatever the other bank
    answered or failed to: its thread (``pacs008-<id>``, started at the commit, before the answer to
    the request) is gone. Polled, failing after ``within`` seconds."""
    name = f"pacs008-{transfer_id}"
    deadline = time.monotonic() + within
    while any(thread.name == name for thread in threading.enumerate()):
        assert time.monotonic() < deadline, f"{name} still running after {within} s"
        time.sleep(0.01)


def status_of(bank: Bank, person: Person, transfer_id: str) -> str:
    """The transfer's status now (no waiting)."""
    answer = bank.client.get(f"/v1/transfers/{transfer_id}", headers=headers(person.token))
    assert answer.status_code == 200, answer.text
    status: str = answer.json()["status"]
    return status


def inbound(client: TestClient, admin: str, transfer: iso20022.CreditTransfer) -> iso20022.StatusReport:
    answer = client.post(
        "/v1/interbank/pacs.008",
        content=iso20022.build_pacs008(transfer),
        headers=headers(admin, **{"Content-Type": iso20022.CONTENT_TYPE}),
    )
    assert answer.status_code == 200, answer.text
    return iso20022.parse_pacs002(answer.content)


def to_us(bank: Bank, person: Person, account_id: str, amount: int, **fields: Any) -> iso20022.CreditTransfer:
    with bank.db.unit_of_work() as session:
        number = accounts.account_number(session, account_id)
    base = credit_transfer(
        to={"account_number": number, "name": person.name}, amount=amount, debtor_bank=CODE
    )
    return replace(base, creditor_bank=bank.settings.bank_code, **fields)
