"""The merchant daily report: tenders, goods and hours of one business day, as JSON and CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from fastapi.testclient import TestClient

from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.cashier.support import goods, new_order
from tests.catalog.support import variation
from tests.factories import headers
from tests.payments.support import card, cash, payer, refund, shift_of, tender
from tests.settlement.support import D, Shop, fee, open_shop, shanghai


def _trade(client: TestClient, settings: Settings, bank: Bank, shop: Shop) -> dict[str, str]:
    """Day D: 10:15 two lattes and a muffin by card; 14:40 a latte and a typed ¥30.00 line in cash;
    15:05 the card order gives one muffin (¥12.00) back. Next morning a sale that is not D's."""
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 10, 15))
    latte, muffin = goods(
        client, shop.till, variation(name="大杯", price=1_800), variation(name="松饼", price=1_200)
    )
    shift_of(client, shop.till)
    first = new_order(
        client, shop.till, [{"variation_id": latte, "quantity": 2}, {"variation_id": muffin, "quantity": 1}]
    )
    assert first["total"] == 4_800
    assert tender(client, shop.till, first["id"], card(who, 4_800)).status_code == 201
    shop.at(shanghai(D, 14, 40))
    second = new_order(
        client, shop.till, [{"variation_id": latte, "quantity": 1}, {"name": "包间费", "amount": 3_000}]
    )
    assert tender(client, shop.till, second["id"], cash(4_800, 5_000)).status_code == 201
    shop.at(shanghai(D, 15, 5))
    assert refund(client, shop.till, first["id"], 1_200).status_code == 201
    shop.at(shanghai(D + timedelta(days=1), 9, 30))
    third = new_order(client, shop.till, [{"variation_id": latte, "quantity": 5}])
    assert tender(client, shop.till, third["id"], card(who, 9_000)).status_code == 201
    return {"latte": latte, "muffin": muffin}


def test_the_report_matches_the_days_orders(
    client: TestClient, settings: Settings, bank: Bank, shop: Shop
) -> None:
    ids = _trade(client, settings, bank, shop)
    card_fee = fee(settings, 4_800)
    response = client.get(
        f"/v1/merchants/{shop.merchant_id}/reports/daily",
        params={"date": D.isoformat()},
        headers=headers(shop.owner),
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["totals"] == {
        "payments": 2,
        "gross": 9_600,
        "refunds": 1_200,
        "fees": card_fee,
        "coupon_discounts": 0,
        "net": 9_600 - 1_200 - card_fee,
    }
    assert [(t["method"], t["count"], t["gross"], t["refunds"], t["fees"]) for t in report["by_tender"]] == [
        ("cash", 1, 4_800, 0, 0),
        ("card", 1, 4_800, 1_200, card_fee),
    ]
    items = {(i["variation_id"], i["name"]): (i["quantity"], i["amount"]) for i in report["by_item"]}
    latte_name = next(i["name"] for i in report["by_item"] if i["variation_id"] == ids["latte"])
    muffin_name = next(i["name"] for i in report["by_item"] if i["variation_id"] == ids["muffin"])
    assert items == {
        (ids["latte"], latte_name): (3, 5_400),
        (ids["muffin"], muffin_name): (1, 1_200),
        (None, "包间费"): (1, 3_000),
    }
    hours = {h["hour"]: (h["count"], h["gross"]) for h in report["by_hour"] if h["count"]}
    assert len(report["by_hour"]) == 24
    assert hours == {10: (1, 4_800), 14: (1, 4_800)}


def test_the_csv_export_parses_and_carries_the_same_numbers(
    client: TestClient, settings: Settings, bank: Bank, shop: Shop
) -> None:
    _trade(client, settings, bank, shop)
    url = f"/v1/merchants/{shop.merchant_id}/reports/daily"
    as_json = client.get(url, params={"date": D.isoformat()}, headers=headers(shop.owner)).json()
    by_query = client.get(url, params={"date": D.isoformat(), "format": "csv"}, headers=headers(shop.owner))
    by_accept = client.get(
        url, params={"date": D.isoformat()}, headers=headers(shop.owner, Accept="text/csv")
    )
    assert by_query.status_code == 200, by_query.text
    assert by_query.headers["content-type"].startswith("text/csv")
    assert "attachment" in by_query.headers["content-disposition"]
    assert by_accept.text == by_query.text
    rows = list(csv.DictReader(io.StringIO(by_query.text)))
    [totals] = [r for r in rows if r["section"] == "totals" and r["name"] == "gross"]
    assert (int(totals["gross"]), int(totals["refunds"]), int(totals["fees"]), int(totals["net"])) == (
        as_json["totals"]["gross"],
        as_json["totals"]["refunds"],
        as_json["totals"]["fees"],
        as_json["totals"]["net"],
    )
    tenders = {r["key"]: int(r["gross"]) for r in rows if r["section"] == "tender"}
    assert tenders == {"cash": 4_800, "card": 4_800}
    items = sorted((r["name"], int(r["quantity"]), int(r["gross"])) for r in rows if r["section"] == "item")
    assert items == sorted((i["name"], i["quantity"], i["amount"]) for i in as_json["by_item"])
    hours = [r for r in rows if r["section"] == "hour"]
    assert len(hours) == 24
    assert sum(int(r["gross"]) for r in hours) == 9_600


def test_owners_and_bank_staff_read_the_report_cashiers_do_not(
    client: TestClient, settings: Settings, bank: Bank, shop: Shop
) -> None:
    url = f"/v1/merchants/{shop.merchant_id}/reports/daily"
    assert client.get(url, headers=headers(shop.owner)).status_code == 200
    assert client.get(url, headers=headers(bank.teller)).status_code == 200
    assert client.get(url, headers=headers(shop.cashier, channel="pos")).status_code == 403
    other = open_shop(client, bank.db, settings, name="另一家餐饮有限公司")
    assert client.get(url, headers=headers(other.owner)).status_code == 404
    empty = client.get(url, headers=headers(shop.owner)).json()
    assert empty["date"] == D.isoformat()
    assert empty["totals"]["gross"] == 0 and empty["by_tender"] == [] and empty["by_item"] == []
