"""A market for the marketing tests: a shop with goods, bank marketing staff, customers with money;
campaigns drawn up, submitted and approved, coupons claimed, all through the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from finlife.merchants import service as merchants
from finlife.settings import Settings
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till, goods, open_till, pos
from tests.catalog.support import item_body, variation
from tests.factories import headers


def campaign_body(**fields: Any) -> dict[str, Any]:
    """A merchant-funded ¥5-off coupon valid 30 days after claim, 100 in stock, one each."""
    body: dict[str, Any] = {
        "name": "立减5元",
        "kind": "fixed",
        "value": 500,
        "funding": {"merchant": 100},
        "budget": {"merchant": 100_000},
        "stock": 100,
        "per_customer_limit": 1,
        "price": 0,
        "valid_days": 30,
    }
    return body | fields


@dataclass
class Market:
    client: TestClient
    db: Database
    settings: Settings
    bank: Bank
    till: Till
    latte: str  # variation id, ¥18.00, category 咖啡
    cake: str  # variation id, ¥25.00, category 甜点
    staff: dict[tuple[Role, bool], str] = field(default_factory=dict)

    def officer(self, role: Role = Role.BRANCH_MARKETING, *, second: bool = False) -> str:
        """A bank marketing login; ``second`` gives another person of the same role (four eyes)."""
        key = (role, second)
        if key not in self.staff:
            self.staff[key] = self.bank.staff(role)
        return self.staff[key]

    def create(self, token: str | None = None, **fields: Any) -> httpx.Response:
        body = campaign_body(**fields)
        return self.client.post("/v1/campaigns", json=body, headers=headers(token or self.till.owner))

    def act(self, campaign_id: str, action: str, token: str | None = None) -> httpx.Response:
        return self.client.post(
            f"/v1/campaigns/{campaign_id}/{action}", headers=headers(token or self.till.owner)
        )

    def live(self, *, by_bank: bool = False, **fields: Any) -> str:
        """A campaign drawn up (by the merchant or a branch officer), submitted and approved; its id."""
        author = self.officer(Role.HQ_MARKETING) if by_bank else self.till.owner
        created = self.create(author, **fields)
        assert created.status_code == 201, created.text
        campaign_id: str = created.json()["id"]
        submitted = self.act(campaign_id, "submit", author)
        assert submitted.status_code == 200, submitted.text
        if submitted.json()["status"] == "submitted":
            approved = self.act(campaign_id, "approve", self.officer(Role.HQ_MARKETING, second=True))
            assert approved.status_code == 200, approved.text
        return campaign_id

    def customer(self, funds: int = 0) -> tuple[Person, str | None]:
        person = self.bank.customer()
        account_id = self.bank.funded(person, funds) if funds else None
        return person, account_id

    def claim(
        self, person: Person, campaign_id: str, *, key: str | None = None, **body: Any
    ) -> httpx.Response:
        return self.client.post(
            f"/v1/life/campaigns/{campaign_id}/claim",
            json=body,
            headers=headers(person.token, channel="mobile", **{"Idempotency-Key": key or str(uuid.uuid4())}),
        )

    def coupon(self, person: Person, campaign_id: str, **body: Any) -> dict[str, Any]:
        response = self.claim(person, campaign_id, **body)
        assert response.status_code == 201, response.text
        coupon: dict[str, Any] = response.json()
        return coupon

    def order(
        self, lines: list[dict[str, Any]], codes: list[str], *, calculate: bool = False
    ) -> httpx.Response:
        body = {
            "store_id": self.till.store_id,
            "terminal_id": self.till.terminal_id,
            "lines": lines,
            "coupon_codes": codes,
        }
        path = "/v1/orders/calculate" if calculate else "/v1/orders"
        return self.client.post(
            path, json=body, headers=pos(self.till.cashier, **{"Idempotency-Key": str(uuid.uuid4())})
        )

    def lattes(self, quantity: int) -> list[dict[str, Any]]:
        return [{"variation_id": self.latte, "quantity": quantity}]

    def balances(self) -> dict[str, int]:
        """Signed ledger balances: the bank's branch and HQ marketing expense, the merchant's pending."""
        with self.db.unit_of_work() as session:
            pending = merchants.merchant_facts(session, self.till.merchant_id).pending_ledger_account_id
            assert pending is not None
            branch = ledger.bank_account(session, BankPurpose.MARKETING_EXPENSE, unit="BRANCH")
            hq = ledger.bank_account(session, BankPurpose.MARKETING_EXPENSE, unit="HQ")
            return {
                "branch": ledger.balance(session, branch.id).ledger,
                "hq": ledger.balance(session, hq.id).ledger,
                "merchant": ledger.balance(session, pending).ledger,
            }


def market(client: TestClient, db: Database, settings: Settings) -> Market:
    till = open_till(client, db, settings)
    (latte,) = goods(client, till, variation(price=1_800), name="拿铁咖啡")
    response = client.post(
        f"/v1/merchants/{till.merchant_id}/items",
        json=item_body(name="芝士蛋糕", category="甜点", variations=[variation(price=2_500)]),
        headers=headers(till.owner),
    )
    assert response.status_code == 201, response.text
    cake = response.json()["variations"][0]["id"]
    return Market(client, db, settings, Bank(client, db, settings), till, latte, cake)
