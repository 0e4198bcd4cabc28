"""A shop and its paying customers for the payments tests, built through the other modules' APIs.

The till (merchant, store, terminal, cashier) comes from the cashier tests, the customers, accounts
and cards from the accounts tests; tenders, QR codes and refunds go through the payments API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.merchants import service as merchants
from finlife.payments.models import CashBook
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till, new_order, open_shift, pos
from tests.factories import headers

PIN = "246810"


@dataclass(frozen=True)
class Payer:
    """A customer with a funded account and a debit card on it."""

    person: Person
    account_id: str
    pan: str
    expiry: str

    @property
    def token(self) -> str:
        return self.person.token


def payer(bank: Bank, funds: int, *, account_class: str = "I") -> Payer:
    person = bank.customer()
    account_id = bank.funded(person, funds)
    issued = bank.client.post(
        f"/v1/accounts/{account_id}/cards", json={"pin": PIN}, headers=headers(bank.teller)
    )
    assert issued.status_code == 201, issued.text
    card = issued.json()
    return Payer(person, account_id, card["pan"], card["expiry"])


def signed_in_again(bank: Bank, who: Payer) -> Payer:
    """The payer with a fresh login (after the clock moved past the old one's lifetime)."""
    return replace(who, person=bank.signed_in_again(who.person))


def order_of(client: TestClient, till: Till, total: int) -> str:
    """An open order of one free line of ``total`` fen; its id."""
    order_id: str = new_order(client, till, [{"name": "餐费", "amount": total}])["id"]
    return order_id


def shift_of(client: TestClient, till: Till, opening_float: int = 50_000) -> str:
    response = open_shift(client, till, opening_float=opening_float)
    assert response.status_code == 201, response.text
    shift_id: str = response.json()["id"]
    return shift_id


def tender(
    client: TestClient,
    till: Till,
    order_id: str,
    body: dict[str, Any],
    *,
    token: str | None = None,
    key: str | None = None,
) -> httpx.Response:
    return client.post(
        f"/v1/orders/{order_id}/payments",
        json=body,
        headers=pos(token or till.cashier, **{"Idempotency-Key": key or str(uuid.uuid4())}),
    )


def cash(amount: int, tendered: int | None = None) -> dict[str, Any]:
    return {"method": "cash", "amount": amount, "tendered": amount if tendered is None else tendered}


def card(
    who: Payer, amount: int, *, entry_mode: str = "chip", pin: str | None = PIN, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "method": "card",
        "amount": amount,
        "pan": who.pan,
        "expiry": who.expiry,
        "entry_mode": entry_mode,
    }
    if pin is not None:
        body["pin"] = pin
    return body | extra


def refund(
    client: TestClient,
    till: Till,
    order_id: str,
    amount: int,
    *,
    reason: str = "顾客退货",
    key: str | None = None,
    **extra: Any,
) -> httpx.Response:
    return client.post(
        f"/v1/orders/{order_id}/refunds",
        json={"amount": amount, "reason": reason, **extra},
        headers=pos(till.cashier, **{"Idempotency-Key": key or str(uuid.uuid4())}),
    )


def payment_code(client: TestClient, who: Payer, account_id: str | None = None) -> httpx.Response:
    return client.post(
        "/v1/payment-codes",
        json={"account_id": account_id or who.account_id},
        headers=headers(who.token, channel="mobile"),
    )


def order_qr(client: TestClient, till: Till, order_id: str) -> str:
    response = client.get(f"/v1/orders/{order_id}/qr", headers=pos(till.cashier))
    assert response.status_code == 200, response.text
    payload: str = response.json()["payload"]
    return payload


def pay_qr(
    client: TestClient, who: Payer, payload: str, *, amount: int | None = None, key: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {"payload": payload, "account_id": who.account_id}
    if amount is not None:
        body["amount"] = amount
    return client.post(
        "/v1/qr/payments",
        json=body,
        headers=headers(who.token, channel="mobile", **{"Idempotency-Key": key or str(uuid.uuid4())}),
    )


def pending_balance(db: Database, merchant_id: str) -> int:
    """What the bank owes the merchant (pending settlement), in the account's normal direction."""
    with db.unit_of_work() as session:
        pending = merchants.merchant_facts(session, merchant_id).pending_ledger_account_id
        assert pending is not None
        return ledger.balance(session, pending).ledger


def cash_sales(db: Database, merchant_id: str) -> int:
    """The merchant's cash sales (income) booked on its own cash ledger pair; 0 before the first."""
    with db.unit_of_work() as session:
        sales = session.execute(
            select(CashBook.sales_ledger_id).where(CashBook.merchant_id == merchant_id)
        ).scalar()
        return 0 if sales is None else ledger.balance(session, sales).ledger


def trial_balance_total(db: Database) -> int:
    with db.unit_of_work() as session:
        return ledger.trial_balance(session).total
