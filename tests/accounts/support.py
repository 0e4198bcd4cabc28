"""A small bank for the accounts tests: customers at each KYC level, a teller, accounts, money."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.audit.models import AuditEvent
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent
from finlife.ledger import service as ledger
from finlife.settings import Settings
from tests.customers.support import id_number
from tests.factories import (
    PASSWORD,
    headers,
    sign_in,
    signup_customer,
    staff_token,
    unique_phone,
    verify_in_person,
)

_people = itertools.count(1)
CNY = "CNY"
# The payment password the helper sets for a customer the first time they pay someone a large amount.
PAYMENT_PASSWORD = "258036"


@dataclass(frozen=True)
class Person:
    customer_id: str
    token: str
    name: str
    phone: str


class Bank:
    """Drives the API the way tellers and customers do; one teller login per test."""

    def __init__(self, client: TestClient, db: Database, settings: Settings) -> None:
        self.client = client
        self.db = db
        self.settings = settings
        self._teller: str | None = None
        self._with_payment_password: set[str] = set()

    @property
    def teller(self) -> str:
        if self._teller is None:
            self._teller = staff_token(self.client, self.db, self.settings, Role.TELLER)
        return self._teller

    def advance(self, delta: timedelta) -> None:
        """Move the clock and forget the teller's login (it may have expired).

        New logins carry the moved clock's time, which PyJWT refuses when it lies in the real future,
        so tests that move by more than a login's lifetime first freeze the clock in the past.
        """
        clock.advance(delta)
        self._teller = None

    def signed_in_again(self, person: Person) -> Person:
        return replace(person, token=sign_in(self.client, username=person.phone, channel="mobile"))

    def staff(self, role: Role) -> str:
        return staff_token(self.client, self.db, self.settings, role)

    def customer(self, kyc: str = "verified_in_person") -> Person:
        """A signed-up customer verified in person (by a teller), remotely (on mobile), or not at all."""
        seq = next(_people)
        name = f"客户{seq}"
        phone = unique_phone()
        customer_id, token = signup_customer(self.client, name=name, phone=phone)
        number = id_number(birth=f"19{50 + seq // 900 % 40:02d}0101", sequence=f"{seq % 900 + 100:03d}")
        if kyc == "verified_in_person":
            verify_in_person(self.client, self.db, self.settings, customer_id, name=name, id_number=number)
        elif kyc == "verified_remote":
            response = self.client.post(
                f"/v1/customers/{customer_id}/verifications",
                json={"name": name, "id_number": number},
                headers=headers(token, channel="mobile"),
            )
            assert response.status_code == 200, response.text
        return Person(customer_id, token, name, phone)

    def open_raw(
        self,
        customer_id: str,
        account_class: str,
        *,
        token: str | None = None,
        channel: str | None = None,
        bound: dict[str, str] | None = None,
    ) -> httpx.Response:
        body: dict[str, Any] = {"customer_id": customer_id, "class": account_class}
        if bound is not None:
            body["bound_account"] = bound
        return self.client.post(
            "/v1/accounts", json=body, headers=headers(token or self.teller, channel=channel)
        )

    def open(self, person: Person, account_class: str = "I", **kwargs: Any) -> dict[str, Any]:
        response = self.open_raw(person.customer_id, account_class, **kwargs)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def funded(self, person: Person, amount: int, account_class: str = "I") -> str:
        """A Class I account with ``amount`` deposited in cash at the counter."""
        account_id: str = self.open(person, account_class)["id"]
        if amount:
            assert self.deposit(account_id, amount).status_code == 201
        return account_id

    def cash(
        self,
        path: str,
        account_id: str,
        amount: int,
        *,
        token: str | None = None,
        channel: str | None = None,
        key: str | None = None,
    ) -> httpx.Response:
        return self.client.post(
            path,
            json={"account_id": account_id, "amount": amount, "currency": CNY},
            headers=headers(token or self.teller, channel=channel, **{"Idempotency-Key": key or uuid4()}),
        )

    def deposit(self, account_id: str, amount: int, **kwargs: Any) -> httpx.Response:
        return self.cash("/v1/deposits", account_id, amount, **kwargs)

    def withdraw(self, account_id: str, amount: int, **kwargs: Any) -> httpx.Response:
        return self.cash("/v1/withdrawals", account_id, amount, **kwargs)

    def transfer(
        self,
        token: str,
        source: str,
        target: str,
        amount: Any,
        *,
        channel: str | None = None,
        key: str | None = None,
        memo: str = "",
    ) -> httpx.Response:
        body = {
            "from_account_id": source,
            "to_account_id": target,
            "amount": amount,
            "currency": CNY,
            "memo": memo,
        }
        key = key or uuid4()

        def send() -> httpx.Response:
            return self.client.post(
                "/v1/transfers",
                json=body,
                headers=headers(token, channel=channel, **{"Idempotency-Key": key}),
            )

        response = send()
        # As a customer does when asked (paying someone else above the threshold): confirm with the
        # payment password, set first if need be. The refusal stored nothing under the key.
        asked = response.status_code == 422 and response.json().get("code") == "payment_password_required"
        if asked and self.payment_password(token):
            body["payment_password"] = PAYMENT_PASSWORD
            response = send()
        return response

    def payment_password(self, token: str) -> bool:
        """Set the login's payment password (once); False for staff, who have none."""
        if token not in self._with_payment_password:
            answer = self.client.put(
                "/v1/me/payment-password",
                # The sign-in password sets the first; the same one as "old" keeps it if set before.
                json={
                    "new_password": PAYMENT_PASSWORD,
                    "old_password": PAYMENT_PASSWORD,
                    "sign_in_password": PASSWORD,
                },
                headers=headers(token),
            )
            if answer.status_code == 403:
                return False
            assert answer.status_code == 204, answer.text
            self._with_payment_password.add(token)
        return True

    def account(
        self, account_id: str, token: str | None = None, channel: str | None = None
    ) -> dict[str, Any]:
        response = self.client.get(
            f"/v1/accounts/{account_id}", headers=headers(token or self.teller, channel=channel)
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def balance(self, account_id: str) -> int:
        ledger_balance: int = self.account(account_id)["balance"]["ledger"]
        return ledger_balance


def uuid4() -> str:
    return str(uuid.uuid4())


def count_rows(db: Database, model: Any) -> int:
    with db.unit_of_work() as session:
        total: int = session.execute(select(func.count()).select_from(model)).scalar_one()
        return total


def audit_count(db: Database, action: str) -> int:
    with db.unit_of_work() as session:
        total: int = session.execute(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        ).scalar_one()
        return total


def outbox_count(db: Database, event_type: str) -> int:
    with db.unit_of_work() as session:
        total: int = session.execute(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.type == event_type)
        ).scalar_one()
        return total


def trial_balance_total(db: Database) -> int:
    with db.unit_of_work() as session:
        return ledger.trial_balance(session).total
