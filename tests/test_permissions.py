"""The staff permission table (CONTRIBUTING.md, "Least privilege"), cell by cell, through the API.

Each row asks one question of the API as each staff role and expects the status written out below.
The expectations are written here by hand from the table in CONTRIBUTING.md, not read from
``finlife.kit.permissions``: a change to the code that grants or withdraws a capability fails here.
Where the API hides that a thing exists from those who may not see it, "refused" is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.kit import jobs
from finlife.kit.auth import Actor, Role
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import CNY, Bank, uuid4
from tests.factories import approved_merchant, headers

TELLER, BRANCH, HQ, ADMIN = Role.TELLER, Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.BANK_ADMIN
AGENT = Role.AGENT
STAFF = (TELLER, BRANCH, HQ, ADMIN, AGENT)

# capability: {role: the status its probe answers}. 403 (or 404 where the thing stays hidden) = refused.
TABLE: dict[str, dict[Role, int]] = {
    "customer_records": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "customer_view": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "identity_verification": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "account_balance": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "account_statement": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "customer_accounts": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "cards": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "holds": {TELLER: 404, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "cash": {TELLER: 201, BRANCH: 403, HQ: 403, ADMIN: 201, AGENT: 403},
    "devices": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "device_registration": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 201, AGENT: 403},
    "merchant_records": {TELLER: 200, BRANCH: 404, HQ: 404, ADMIN: 200, AGENT: 404},
    "merchant_approval": {TELLER: 404, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "merchant_books": {TELLER: 200, BRANCH: 404, HQ: 404, ADMIN: 200, AGENT: 404},
    "merchant_orders": {TELLER: 404, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "merchant_staff_changes": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 403, AGENT: 403},
    "refund_approval": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 403, AGENT: 403},
    "campaigns": {TELLER: 403, BRANCH: 200, HQ: 200, ADMIN: 200, AGENT: 403},
    "campaign_approval": {TELLER: 403, BRANCH: 404, HQ: 404, ADMIN: 404, AGENT: 403},
    "districts": {TELLER: 403, BRANCH: 201, HQ: 201, ADMIN: 201, AGENT: 403},
    "channel_activity": {TELLER: 403, BRANCH: 200, HQ: 200, ADMIN: 200, AGENT: 403},
    "segments": {TELLER: 403, BRANCH: 200, HQ: 200, ADMIN: 200, AGENT: 403},
    "settlement": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "settlement_run": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 422, AGENT: 403},
    "reconciliation": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "bank_directory": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "audit_log": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "ledger": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "all_jobs": {TELLER: 404, BRANCH: 404, HQ: 404, ADMIN: 200, AGENT: 404},
    "partners": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "partner_approval": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "funds": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "service_cases": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "card_freeze": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 404},
    "service_approval": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 404},
    "service_metrics": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 200},
    "channel_planning": {TELLER: 403, BRANCH: 200, HQ: 200, ADMIN: 200, AGENT: 403},
    "loan_products": {TELLER: 403, BRANCH: 403, HQ: 403, ADMIN: 201, AGENT: 403},
    "loans_read": {TELLER: 200, BRANCH: 403, HQ: 403, ADMIN: 200, AGENT: 403},
    "loans_serve": {TELLER: 404, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
    "loan_approval": {TELLER: 404, BRANCH: 403, HQ: 403, ADMIN: 404, AGENT: 403},
}

Probe = Callable[[str], httpx.Response]  # the staff token → the API's answer


def _probe(capability: str, bank: Bank, db: Database, settings: Settings) -> Probe:
    """The request that exercises ``capability``, with whatever it needs already in place."""
    client = bank.client

    def get(path: str, **params: Any) -> Probe:
        return lambda token: client.get(path, params=params, headers=headers(token))

    def post(path: str, body: Any, **extra: str) -> Probe:
        return lambda token: client.post(path, json=body, headers=headers(token, **extra))

    if capability in {"customer_records", "identity_verification", "customer_accounts", "customer_view"}:
        person = bank.customer()
        if capability == "customer_records":
            return get("/v1/customers", q=person.name)
        if capability == "customer_view":
            return get(f"/v1/customers/{person.customer_id}/view", reason="permission table")
        if capability == "customer_accounts":
            bank.open(person)
            return get(f"/v1/customers/{person.customer_id}/accounts")
        customer = client.get(f"/v1/customers/{person.customer_id}", headers=headers(bank.teller)).json()
        return lambda token: client.post(
            f"/v1/customers/{person.customer_id}/verifications",
            json={"name": person.name, "id_number": customer["id_number"]},
            headers=headers(token),
        )
    if capability in {"account_balance", "account_statement", "cards", "cash"}:
        account_id = bank.funded(bank.customer(), 10_000)
        if capability == "account_balance":
            return get(f"/v1/accounts/{account_id}")
        if capability == "account_statement":
            return get(f"/v1/accounts/{account_id}/transactions")
        if capability == "cards":
            return get(f"/v1/accounts/{account_id}/cards")
        body = {"account_id": account_id, "amount": 100, "currency": CNY}
        return lambda token: client.post(
            "/v1/deposits",
            json=body,
            headers=headers(token, **{"Idempotency-Key": uuid4()}),
        )
    if capability in {"merchant_records", "merchant_books", "merchant_staff_changes"}:
        merchant_id = approved_merchant(client, db, settings).merchant_id
        if capability == "merchant_records":
            return get(f"/v1/merchants/{merchant_id}")
        if capability == "merchant_books":
            return get(f"/v1/merchants/{merchant_id}/settlements")
        staff = {"username": "intruder", "password": "correct-horse-9", "name": "x", "store_ids": []}
        return post(f"/v1/merchants/{merchant_id}/staff", staff)
    job_id = jobs.start(db, Actor.system(), "settlement", lambda _: None)
    jobs.wait(job_id)
    district = {
        "name": "人民广场商圈",
        "centre": {"latitude": "31.232", "longitude": "121.475"},
        "radius_m": 500,
    }
    simple: dict[str, Probe] = {
        "holds": get("/v1/holds/hld_unknown"),
        "devices": get("/v1/devices"),
        "device_registration": post("/v1/devices", {"kind": "atm", "branch": "SH001", "label": "大堂"}),
        "merchant_approval": post("/v1/merchants/mer_unknown/approve", {}),
        "merchant_orders": get("/v1/orders/ord_unknown"),
        "refund_approval": post("/v1/refund-requests/rfq_unknown/approve", {}),
        "campaigns": get("/v1/campaigns"),
        "campaign_approval": post("/v1/campaigns/cmp_unknown/approve", {}),
        "districts": post("/v1/districts", district),
        "channel_activity": get("/v1/channel-activity"),
        "segments": get("/v1/segments"),
        "settlement": get("/v1/settlements"),
        "settlement_run": post(
            "/v1/settlements", {"business_date": "not-a-date"}, **{"Idempotency-Key": uuid4()}
        ),
        "reconciliation": get("/v1/reconciliations/rec_unknown"),
        "bank_directory": get("/v1/banks"),
        "audit_log": get("/v1/audit-events"),
        "ledger": get("/v1/ledger/trial-balance"),
        "all_jobs": get(f"/v1/jobs/{job_id}"),
        "partners": get("/v1/partners"),
        "partner_approval": post("/v1/partners/ptn_unknown/approve", {}),
        "funds": post(
            "/v1/funds/fnd_unknown/yields", {"date": "2026-12-04", "per_10k": "0.5", "seven_day": "1.8"}
        ),
        "service_cases": get("/v1/cases"),
        "card_freeze": post("/v1/cases/cas_unknown/cards/crd_unknown/freeze", {}),
        "service_approval": post("/v1/coupon-restorations/crs_unknown/approve", {}),
        "service_metrics": get("/v1/service/metrics", **{"from": "2026-03-01", "to": "2026-03-02"}),
        "channel_planning": get("/v1/channel-planning", **{"from": "2026-03-01", "to": "2026-03-02"}),
        "loan_products": post(
            "/v1/loan-reference-rates", {"name": "lpr_1y", "effective_from": "2026-01-01", "rate_bp": 300}
        ),
        "loans_read": get("/v1/loans", status="submitted"),
        "loans_serve": post("/v1/loan-applications/lon_unknown/disburse", {}),
        "loan_approval": post("/v1/loan-applications/lon_unknown/approve", {}),
    }
    return simple[capability]


@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("capability", sorted(TABLE))
def test_each_staff_role_may_use_only_what_its_work_needs(
    capability: str, role: Role, bank: Bank, db: Database, settings: Settings
) -> None:
    probe = _probe(capability, bank, db, settings)
    answer = probe(bank.staff(role))
    expected = TABLE[capability][role]
    assert answer.status_code == expected, (capability, role, answer.text)
    if expected == 403:
        assert answer.json()["code"] == "forbidden"


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)
