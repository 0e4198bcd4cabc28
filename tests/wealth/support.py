"""A fund, customers who hold it, and the checks every wealth test makes (ledger against units)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent
from finlife.ledger import service as ledger
from finlife.wealth.models import Fund, Holding
from tests.accounts.support import Bank, Person, uuid4
from tests.factories import headers


class Wealth:
    """Drives the wealth API as the bank admin and customers do."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.client = bank.client
        self._admin: str | None = None

    @property
    def admin(self) -> str:
        if self._admin is None:
            self._admin = self.bank.staff(Role.BANK_ADMIN)
        return self._admin

    def fund(self, code: str = "MMF1", name: str = "好收益货币基金") -> str:
        response = self.client.post(
            "/v1/funds", json={"code": code, "name": name}, headers=headers(self.admin)
        )
        assert response.status_code == 201, response.text
        fund_id: str = response.json()["id"]
        return fund_id

    def publish(self, fund_id: str, day: str, per_10k: str, seven_day: str = "1.8000") -> httpx.Response:
        return self.client.post(
            f"/v1/funds/{fund_id}/yields",
            json={"date": day, "per_10k": per_10k, "seven_day": seven_day},
            headers=headers(self.admin),
        )

    def subscribe(
        self, person: Person, fund_id: str, account_id: str, amount: int, key: str | None = None
    ) -> httpx.Response:
        return self.client.post(
            f"/v1/funds/{fund_id}/subscriptions",
            json={"account_id": account_id, "amount": amount},
            headers=headers(person.token, **{"Idempotency-Key": key or uuid4()}),
        )

    def redeem(
        self,
        person: Person,
        fund_id: str,
        account_id: str,
        amount: int,
        speed: str = "fast",
        key: str | None = None,
    ) -> httpx.Response:
        return self.client.post(
            f"/v1/funds/{fund_id}/redemptions",
            json={"account_id": account_id, "amount": amount, "speed": speed},
            headers=headers(person.token, **{"Idempotency-Key": key or uuid4()}),
        )

    def holding(self, person: Person) -> dict[str, Any]:
        response = self.client.get("/v1/me/holdings", headers=headers(person.token))
        assert response.status_code == 200, response.text
        holdings: list[dict[str, Any]] = response.json()["holdings"]
        assert len(holdings) == 1, holdings
        return holdings[0]

    def sweep_on(self, person: Person, account_id: str, fund_id: str, keep: int) -> httpx.Response:
        return self.client.put(
            f"/v1/accounts/{account_id}/sweep",
            json={"fund_id": fund_id, "keep": keep},
            headers=headers(person.token),
        )


def units(db: Database, account_id: str) -> int:
    with db.unit_of_work() as session:
        return int(
            session.execute(select(Holding.units).where(Holding.account_id == account_id)).scalar_one()
        )


def assert_books_agree(db: Database) -> None:
    """The trial balance is zero and each fund's custody account holds exactly its units."""
    with db.unit_of_work() as session:
        assert ledger.trial_balance(session).total == 0
        for fund in session.execute(select(Fund)).scalars():
            held = session.execute(
                select(func.coalesce(func.sum(Holding.units), 0)).where(Holding.fund_pk == fund.id)
            ).scalar_one()
            custody = ledger.balance(session, fund.custody_account_id).ledger
            assert custody == held, (fund.code, custody, held)


def events(db: Database, event_type: str) -> list[dict[str, Any]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(OutboxEvent.payload).where(OutboxEvent.type == event_type).order_by(OutboxEvent.id)
        ).scalars()
        return [dict(row) for row in rows]
