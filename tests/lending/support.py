"""A bank that lends, driven through the API: rates, products, customers with money, officers."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent
from finlife.ledger import service as ledger
from finlife.settings import Settings
from tests.accounts.support import Bank, Person, uuid4
from tests.customers.support import id_number
from tests.factories import headers, signup_customer, staff_token, unique_phone, verify_in_person

_people = itertools.count(1)
RATES = {"lpr_1y": 310, "lpr_5y": 350}


@dataclass(frozen=True)
class Borrower:
    person: Person
    account_id: str

    @property
    def token(self) -> str:
        return self.person.token

    @property
    def customer_id(self) -> str:
        return self.person.customer_id


class Lender(Bank):
    def __init__(self, client: TestClient, db: Database, settings: Settings) -> None:
        super().__init__(client, db, settings)
        self.admin = staff_token(client, db, settings, Role.BANK_ADMIN)
        for name, rate in RATES.items():
            self.rate(name, rate, date(2020, 1, 1))

    def rate(self, name: str, rate_bp: int, day: date) -> None:
        body = {"name": name, "effective_from": day.isoformat(), "rate_bp": rate_bp}
        response = self.client.post("/v1/loan-reference-rates", json=body, headers=headers(self.admin))
        assert response.status_code == 201, response.text

    def product(self, kind: str = "consumer", **fields: Any) -> str:
        body: dict[str, Any] = {
            "name": f"{kind} loan",
            "kind": kind,
            "min_amount": 1_000_00,
            "max_amount": 5_000_000_00,
            "min_term_months": 6,
            "max_term_months": 360,
            "reference_rate": "lpr_5y" if kind == "mortgage" else "lpr_1y",
            "spread_bp": 100,
            "methods": ["equal_instalment", "equal_principal"],
            "max_dti_bp": 5000,
            "fee": 0,
        }
        if kind == "mortgage":
            body |= {"max_ltv_first_bp": 7000, "max_ltv_second_bp": 4000}
        response = self.client.post("/v1/loan-products", json=body | fields, headers=headers(self.admin))
        assert response.status_code == 201, response.text
        product_id: str = response.json()["id"]
        return product_id

    def borrower(
        self, *, birth: str = "19900101", deposit: int = 0, kyc: str = "verified_in_person"
    ) -> Borrower:
        seq = next(_people)
        name = f"借款人{seq}"
        phone = unique_phone()
        customer_id, token = signup_customer(self.client, name=name, phone=phone)
        if kyc == "verified_in_person":
            number = id_number(birth=birth, sequence=f"{random.randrange(100, 999)}")
            verify_in_person(self.client, self.db, self.settings, customer_id, name=name, id_number=number)
        person = Person(customer_id, token, name, phone)
        account_id = self.funded(person, deposit) if kyc == "verified_in_person" else ""
        return Borrower(person, account_id)

    def apply(self, token: str, product_id: str, account_id: str, **fields: Any) -> httpx.Response:
        body: dict[str, Any] = {
            "product_id": product_id,
            "amount": 100_000_00,
            "term_months": 12,
            "method": "equal_instalment",
            "repayment_account_id": account_id,
            "monthly_income": 50_000_00,
        }
        return self.client.post("/v1/loan-applications", json=body | fields, headers=headers(token))

    def act(
        self, token: str, loan_id: str, action: str, json: Any = None, channel: str | None = None
    ) -> httpx.Response:
        return self.client.post(
            f"/v1/loan-applications/{loan_id}/{action}", json=json, headers=headers(token, channel=channel)
        )

    def officer(self) -> str:
        return staff_token(self.client, self.db, self.settings, Role.TELLER)

    def to_signed(self, borrower: Borrower, product_id: str, **fields: Any) -> str:
        response = self.apply(borrower.token, product_id, borrower.account_id, **fields)
        assert response.status_code == 201, response.text
        loan_id: str = response.json()["id"]
        assert self.act(self.officer(), loan_id, "approve").status_code == 200
        signed = self.act(borrower.token, loan_id, "sign")
        assert signed.status_code == 200, signed.text
        return loan_id

    def disbursed(self, borrower: Borrower, product_id: str, **fields: Any) -> str:
        loan_id = self.to_signed(borrower, product_id, **fields)
        response = self.act(self.teller, loan_id, "disburse")
        assert response.status_code == 200, response.text
        return loan_id

    def loan(self, loan_id: str, token: str | None = None) -> dict[str, Any]:
        response = self.client.get(f"/v1/loans/{loan_id}", headers=headers(token or self.teller))
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def prepay(
        self, token: str, loan_id: str, amount: int, mode: str, key: str | None = None
    ) -> httpx.Response:
        return self.client.post(
            f"/v1/loans/{loan_id}/prepayments",
            json={"amount": amount, "mode": mode},
            headers=headers(token, **{"Idempotency-Key": key or uuid4()}),
        )


def events(db: Database, prefix: str) -> list[tuple[str, dict[str, Any]]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(OutboxEvent.type, OutboxEvent.payload)
            .where(OutboxEvent.type.like(f"{prefix}%"))
            .order_by(OutboxEvent.id)
        ).all()
        return [(t, p) for t, p in rows]


def trial_balance_total(db: Database) -> int:
    with db.unit_of_work() as session:
        return ledger.trial_balance(session).total


def count(db: Database, model: Any, *where: Any) -> int:
    with db.unit_of_work() as session:
        total: int = session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
        return total
