"""Settling a business day: net to the merchant's Class I account, fees to the bank, once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import headers
from tests.merchants.support import audit_of, events_of
from tests.payments.support import (
    card,
    cash,
    cash_sales,
    order_of,
    payer,
    pending_balance,
    refund,
    shift_of,
    tender,
    trial_balance_total,
)
from tests.settlement.support import D, Shop, deposit_balance, fee, fee_income, open_shop, settle, shanghai

D1, D2 = D + timedelta(days=1), D + timedelta(days=2)


def _sell(client: TestClient, shop: Shop, amount: int, body: dict[str, Any]) -> str:
    order_id = order_of(client, shop.till, amount)
    paid = tender(client, shop.till, order_id, body)
    assert paid.status_code == 201, paid.text
    return order_id


def test_a_day_pays_the_merchant_its_card_takings_less_fees(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 10))
    shift_of(client, shop.till)
    _sell(client, shop, 10_000, card(who, 10_000))
    _sell(client, shop, 5_000, cash(5_000))
    shop.at(shanghai(D, 14))
    _sell(client, shop, 3_000, card(who, 3_000))
    fees = fee(settings, 10_000, 3_000)
    assert pending_balance(db, shop.merchant_id) == 13_000

    shop.at(shanghai(D1, 1))
    admin = shop.admin()
    run = settle(client, admin, D, key="settle-d")
    assert run.status_code == 201, run.text
    summary = run.json()
    assert (summary["business_date"], summary["merchants_settled"], summary["statements"]) == (
        D.isoformat(),
        1,
        1,
    )
    assert (summary["gross"], summary["fees_charged"], summary["net"]) == (13_000, fees, 13_000 - fees)
    assert summary["cash_gross"] == 5_000 and summary["held"] == []

    assert deposit_balance(db, shop.settlement_account_id) == 13_000 - fees
    assert fee_income(db) == fees
    assert pending_balance(db, shop.merchant_id) == 0
    assert cash_sales(db, shop.merchant_id) == 5_000  # cash stays on the merchant's own books
    assert trial_balance_total(db) == 0

    listed = client.get(f"/v1/merchants/{shop.merchant_id}/settlements", headers=headers(shop.owner))
    assert listed.status_code == 200, listed.text
    [statement] = listed.json()["data"]
    assert statement["business_date"] == D.isoformat()
    assert (statement["gross"], statement["refunds"], statement["fees"]) == (13_000, 0, fees)
    assert (statement["settled"], statement["fees_charged"], statement["net"]) == (
        13_000,
        fees,
        13_000 - fees,
    )
    assert (statement["cash_gross"], statement["carried_out_pending"], statement["carried_out_fees"]) == (
        5_000,
        0,
        0,
    )
    assert [(t["method"], t["count"], t["gross"], t["fees"]) for t in statement["tenders"]] == [
        ("cash", 1, 5_000, 0),
        ("card", 2, 13_000, fees),
    ]
    assert statement["settlement_account_id"] == shop.settlement_account_id
    assert [action for action, _ in audit_of(db, statement["id"])] == ["settlement.completed"]
    [event] = events_of(db, "settlement.completed")
    assert (event["merchant_id"], event["net"], event["entry_id"]) == (
        shop.merchant_id,
        13_000 - fees,
        statement["entry_id"],
    )

    # The same key replays the answer; a new key runs again and moves nothing.
    replay = settle(client, admin, D, key="settle-d")
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == summary
    again = settle(client, admin, D)
    assert again.status_code == 201, again.text
    assert (again.json()["merchants_settled"], again.json()["statements"], again.json()["net"]) == (0, 0, 0)
    assert deposit_balance(db, shop.settlement_account_id) == 13_000 - fees
    assert fee_income(db) == fees
    assert len(events_of(db, "settlement.completed")) == 1
    by_day = client.get("/v1/settlements", params={"date": D.isoformat()}, headers=headers(admin))
    assert [s["id"] for s in by_day.json()["data"]] == [statement["id"]]
    assert client.get("/v1/settlements", params={"date": D1.isoformat()}, headers=headers(admin)).json() == {
        "data": [],
        "has_more": False,
    }


def test_a_refund_the_next_day_reduces_that_days_settlement(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 11))
    sold = _sell(client, shop, 10_000, card(who, 10_000))
    shop.at(shanghai(D1, 0, 30))
    assert settle(client, shop.admin(), D).status_code == 201
    first = deposit_balance(db, shop.settlement_account_id)
    assert first == 10_000 - fee(settings, 10_000)

    shop.at(shanghai(D1, 12))
    _sell(client, shop, 6_000, card(who, 6_000))
    assert refund(client, shop.till, sold, 4_000).status_code == 201
    shop.at(shanghai(D2, 0, 30))
    run = settle(client, shop.admin(), D1).json()
    assert (run["gross"], run["refunds"], run["fees_charged"]) == (6_000, 4_000, fee(settings, 6_000))
    assert run["net"] == 2_000 - fee(settings, 6_000)
    assert deposit_balance(db, shop.settlement_account_id) == first + run["net"]
    assert pending_balance(db, shop.merchant_id) == 0
    assert fee_income(db) == fee(settings, 10_000, 6_000)  # a refund gives no fee back
    assert trial_balance_total(db) == 0


def test_refunds_above_the_days_takings_carry_forward_and_never_overdraw(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 11))
    sold = _sell(client, shop, 10_000, card(who, 10_000))
    # Refunded in full next morning, before D is settled: D's takings are gone from pending.
    shop.at(shanghai(D1, 10))
    assert refund(client, shop.till, sold, 10_000).status_code == 201
    assert settle(client, shop.admin(), D).status_code == 201
    [day_d] = client.get(f"/v1/merchants/{shop.merchant_id}/settlements", headers=headers(shop.owner)).json()[
        "data"
    ]
    assert (day_d["settled"], day_d["net"], day_d["fees_charged"]) == (0, 0, 0)
    assert (day_d["carried_out_pending"], day_d["carried_out_fees"]) == (10_000, fee(settings, 10_000))
    assert deposit_balance(db, shop.settlement_account_id) == 0

    shop.at(shanghai(D2, 1))
    day_d1 = settle(client, shop.admin(), D1).json()
    assert (day_d1["statements"], day_d1["refunds"], day_d1["net"]) == (1, 10_000, 0)
    shop.at(shanghai(D2, 11))
    _sell(client, shop, 20_000, card(who, 20_000))
    shop.at(shanghai(D2 + timedelta(days=1), 1))
    day_d2 = settle(client, shop.admin(), D2).json()
    # The fee of D's refunded sale was still due: charged out of D2's takings.
    owed = fee(settings, 20_000, 10_000)
    assert (day_d2["gross"], day_d2["fees_charged"], day_d2["net"]) == (20_000, owed, 20_000 - owed)
    assert deposit_balance(db, shop.settlement_account_id) == 20_000 - owed
    assert fee_income(db) == owed
    assert pending_balance(db, shop.merchant_id) == 0
    assert trial_balance_total(db) == 0


def test_a_missed_day_is_settled_by_the_next_run_each_day_apart(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 11))
    _sell(client, shop, 1_000, card(who, 1_000))
    shop.at(shanghai(D1, 11))
    _sell(client, shop, 2_000, card(who, 2_000))
    shop.at(shanghai(D2, 1))
    run = settle(client, shop.admin(), D1).json()
    assert (run["merchants_settled"], run["statements"], run["gross"]) == (1, 2, 3_000)
    listed = client.get(f"/v1/merchants/{shop.merchant_id}/settlements", headers=headers(shop.owner)).json()[
        "data"
    ]
    assert [(s["business_date"], s["gross"]) for s in listed] == [
        (D1.isoformat(), 2_000),
        (D.isoformat(), 1_000),
    ]
    # Settling the earlier day afterwards finds it settled.
    assert settle(client, shop.admin(), D).json()["statements"] == 0
    assert deposit_balance(db, shop.settlement_account_id) == 3_000 - fee(settings, 1_000, 2_000)


def test_a_day_is_settled_only_after_the_lag_and_yesterday_is_the_default(
    client: TestClient, bank: Bank, shop: Shop
) -> None:
    shop.at(shanghai(D1, 0, 1))  # within the grace after midnight: D is not closed yet
    admin = shop.admin()
    early = settle(client, admin, D)
    assert early.status_code == 422
    assert (early.json()["code"], early.json()["field"]) == ("settlement_day_open", "date")
    shop.at(shanghai(D1, 9))
    admin = shop.admin()
    assert settle(client, admin, D1).json()["code"] == "settlement_day_open"
    default = settle(client, admin)
    assert default.status_code == 201, default.text
    assert default.json()["business_date"] == D.isoformat()


def test_only_bank_admins_settle_and_cashiers_see_no_statements(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    shop.at(shanghai(D1, 9))
    assert settle(client, bank.teller, D).status_code == 403
    assert settle(client, shop.owner, D).status_code == 403
    assert client.get("/v1/settlements", headers=headers(shop.owner)).status_code == 403
    assert client.get("/v1/settlements", headers=headers(bank.teller)).status_code == 403  # back office
    assert client.get("/v1/settlements", headers=headers(shop.admin())).status_code == 200
    mine = f"/v1/merchants/{shop.merchant_id}/settlements"
    assert client.get(mine, headers=headers(shop.cashier, channel="pos")).status_code == 403
    assert client.get(mine, headers=headers(bank.teller)).status_code == 200
    other = open_shop(client, db, settings, name="另一家餐饮有限公司")
    assert client.get(mine, headers=headers(other.owner)).status_code == 404
