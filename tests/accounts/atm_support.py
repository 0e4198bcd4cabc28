"""ATMs for the tests: registered by a bank admin through the API, signed in with their own
credential, and cards with a PIN on a customer's account."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from tests.accounts.support import Bank
from tests.factories import headers

PIN = "246810"


@dataclass(frozen=True)
class Atm:
    device_id: str
    secret: str
    branch: str
    token: str


def device_token(
    client: TestClient, device_id: str, secret: str, channel: str | None = "atm"
) -> httpx.Response:
    form = {"grant_type": "client_credentials", "client_id": device_id, "client_secret": secret}
    return client.post("/v1/auth/token", data=form, headers={"X-Channel": channel} if channel else {})


def register(bank: Bank, *, branch: str = "SH001", admin: str | None = None) -> httpx.Response:
    admin = admin or bank.staff(Role.BANK_ADMIN)
    body = {"kind": "atm", "branch": branch, "label": f"{branch} lobby"}
    return bank.client.post("/v1/devices", json=body, headers=headers(admin))


def an_atm(bank: Bank, *, branch: str = "SH001") -> Atm:
    registered = register(bank, branch=branch)
    assert registered.status_code == 201, registered.text
    device_id, secret = registered.json()["id"], registered.json()["secret"]
    issued = device_token(bank.client, device_id, secret)
    assert issued.status_code == 200, issued.text
    return Atm(device_id, secret, branch, issued.json()["access_token"])


def a_card(bank: Bank, account_id: str, token: str, pin: str = PIN) -> str:
    """A debit card on the account, issued to its owner; returns the card number."""
    response = bank.client.post(f"/v1/accounts/{account_id}/cards", json={"pin": pin}, headers=headers(token))
    assert response.status_code == 201, response.text
    pan: str = response.json()["pan"]
    return pan


def atm_cash(
    client: TestClient,
    kind: str,
    token: str | None,
    card_number: str,
    amount: int,
    *,
    pin: str = PIN,
    key: str | None = None,
    channel: str | None = None,
) -> httpx.Response:
    body = {"card_number": card_number, "pin": pin, "amount": amount, "currency": "CNY"}
    extra = {"Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(f"/v1/atm/{kind}", json=body, headers=headers(token, channel=channel, **extra))


def vault_balance(bank: Bank, branch: str) -> int:
    """The branch vault's balance in its normal direction (an asset: cash the bank holds)."""
    with bank.db.unit_of_work() as session:
        vault = ledger.bank_account(session, BankPurpose.CASH_VAULT, "CNY", unit=branch)
        balance: int = ledger.balance(session, vault.id).ledger
        return balance
