"""A shop that trades over several business days, built through the merchants, cashier and payments
APIs (reusing their test helpers), and looks into the balances settlement moves.

Logins live 15 minutes on finlife's clock, so moving the frozen clock to another hour signs the
shop's owner and cashier in again (``Shop.at``).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.accounts import service as accounts
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from finlife.payments import service as payments
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal
from tests.factories import PASSWORD, add_store, approved_merchant, headers, sign_in, staff_token
from tests.payments.support import card, order_of, payer, tender

_cashiers = itertools.count(1)
D = date(2026, 3, 2)  # a Monday


def shanghai(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` of a business day in Asia/Shanghai, as the UTC instant the clock is frozen at."""
    return datetime.combine(day, time(hour, minute), tzinfo=clock.business_zone).astimezone(UTC)


@dataclass
class Shop:
    """An approved merchant with one store, terminal and cashier, and the logins to use them."""

    client: TestClient
    db: Database
    settings: Settings
    merchant_id: str
    settlement_account_id: str
    owner_username: str
    cashier_username: str
    store_id: str
    terminal_id: str
    owner: str
    cashier: str

    @property
    def till(self) -> Till:
        return Till(self.merchant_id, self.owner, self.cashier, self.store_id, self.terminal_id)

    def at(self, when: datetime) -> None:
        """Freeze the clock at ``when`` and sign the owner and the cashier in again."""
        clock.freeze(when)
        self.owner = sign_in(self.client, username=self.owner_username)
        self.cashier = sign_in(self.client, username=self.cashier_username)

    def admin(self) -> str:
        return staff_token(self.client, self.db, self.settings, Role.BANK_ADMIN)


def open_shop(
    client: TestClient, db: Database, settings: Settings, *, name: str = "上海好味餐饮有限公司"
) -> Shop:
    logins = approved_merchant(client, db, settings, legal_name=name)
    store_id = add_store(client, logins.owner, logins.merchant_id, name="徐家汇店")
    terminal_id = add_terminal(client, logins.owner, store_id)
    cashier_username = f"settlecashier{next(_cashiers)}{uuid.uuid4().hex[:6]}"
    body = {"username": cashier_username, "password": PASSWORD, "name": "收银员", "store_ids": [store_id]}
    added = client.post(f"/v1/merchants/{logins.merchant_id}/staff", json=body, headers=headers(logins.owner))
    assert added.status_code == 201, added.text
    return Shop(
        client=client,
        db=db,
        settings=settings,
        merchant_id=logins.merchant_id,
        settlement_account_id=logins.settlement_account_id,
        owner_username=logins.owner_username,
        cashier_username=cashier_username,
        store_id=store_id,
        terminal_id=terminal_id,
        owner=logins.owner,
        cashier=sign_in(client, username=cashier_username),
    )


def settle(
    client: TestClient, token: str, day: date | None = None, *, key: str | None = None
) -> httpx.Response:
    body: dict[str, Any] = {} if day is None else {"date": day.isoformat()}
    return client.post(
        "/v1/settlements", json=body, headers=headers(token, **{"Idempotency-Key": key or str(uuid.uuid4())})
    )


def fee(settings: Settings, *amounts: int) -> int:
    """The merchant fee payments accrued on tenders of these amounts."""
    return sum(payments.merchant_fee(settings, amount).total for amount in amounts)


def deposit_balance(db: Database, account_id: str) -> int:
    with db.unit_of_work() as session:
        return ledger.balance(session, accounts.account_facts(session, account_id).ledger_account_id).ledger


def fee_income(db: Database) -> int:
    with db.unit_of_work() as session:
        return ledger.balance(session, ledger.bank_account(session, BankPurpose.FEE_INCOME, "CNY").id).ledger


def trade_on_d(client: TestClient, bank: Bank, *shops: Shop) -> None:
    """One card sale in each shop at noon of D, 1,000 fen in the first, 2,000 in the second, …"""
    who = payer(bank, 100_000)
    for amount, shop in enumerate(shops, start=1):
        shop.at(shanghai(D, 12))
        order_id = order_of(client, shop.till, amount * 1_000)
        assert tender(client, shop.till, order_id, card(who, amount * 1_000)).status_code == 201
