"""A merchant with settled takings (statements written straight into settlement's table, as a day's
run would leave them), and the bank's merchant operating loan with its LPR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.accounts import service as accounts
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.kit.ids import new_id
from finlife.ledger import service as ledger
from finlife.settings import Settings
from finlife.settlement.models import Settlement
from tests.accounts.support import uuid4
from tests.factories import MerchantLogins, approved_merchant, headers, staff_token

# Friday 4 December 2026, 10:00 in Shanghai: before the real now, so that logins stay valid.
TODAY = date(2026, 12, 4)
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
LPR_1Y = 310
SPREAD = 150


def publish_operating_loan(client: TestClient, db: Database, settings: Settings, **fields: Any) -> str:
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    rate = {"name": "lpr_1y", "effective_from": "2020-01-01", "rate_bp": LPR_1Y}
    assert client.post("/v1/loan-reference-rates", json=rate, headers=headers(admin)).status_code == 201
    body: dict[str, Any] = {
        "name": "商户经营贷",
        "kind": "merchant_operating",
        "min_amount": 10_000_00,
        "max_amount": 1_000_000_00,
        "min_term_months": 6,
        "max_term_months": 60,
        "reference_rate": "lpr_1y",
        "spread_bp": SPREAD,
        "methods": ["equal_instalment"],
    }
    response = client.post("/v1/loan-products", json=body | fields, headers=headers(admin))
    assert response.status_code == 201, response.text
    product_id: str = response.json()["id"]
    return product_id


def settled(db: Database, merchant: MerchantLogins, days_ago: list[int], net: int) -> None:
    """A settlement statement paying ``net`` for each of the given days before TODAY."""
    with db.unit_of_work() as session:
        for ago in days_ago:
            session.add(
                Settlement(
                    public_id=new_id("stl"),
                    merchant_id=merchant.merchant_id,
                    business_date=TODAY - timedelta(days=ago),
                    currency="CNY",
                    gross=net,
                    refunds=0,
                    fees=0,
                    carried_in_pending=0,
                    carried_in_fees=0,
                    settled=net,
                    fees_charged=0,
                    net=net,
                    carried_out_pending=0,
                    carried_out_fees=0,
                    cash_gross=0,
                    cash_refunds=0,
                    tenders=[],
                    settlement_account_id=merchant.settlement_account_id,
                    entry_id=None,
                    created_by=None,
                    created_at=NOW,
                )
            )


@dataclass
class Shopkeeper:
    client: TestClient
    db: Database
    settings: Settings
    merchant: MerchantLogins

    def offer(self, token: str | None = None, language: str = "zh-CN") -> httpx.Response:
        return self.client.get(
            f"/v1/merchants/{self.merchant.merchant_id}/credit-offer",
            headers=headers(token or self.merchant.owner, **{"Accept-Language": language}),
        )

    def accept(self, body: dict[str, Any] | None = None, key: str | None = None) -> httpx.Response:
        return self.client.post(
            f"/v1/merchants/{self.merchant.merchant_id}/credit-offer/accept",
            json=body or {},
            headers=headers(self.merchant.owner, **{"Idempotency-Key": key or uuid4()}),
        )

    def balance(self) -> int:
        with self.db.unit_of_work() as session:
            facts = accounts.account_facts(session, self.merchant.settlement_account_id)
            return ledger.balance(session, facts.ledger_account_id).ledger


def shopkeeper(client: TestClient, db: Database, settings: Settings) -> Shopkeeper:
    return Shopkeeper(client, db, settings, approved_merchant(client, db, settings))
