"""Listing a fund and publishing its yields: who may, once per business day."""

from __future__ import annotations

from pathlib import Path

import pytest

from finlife.kit.auth import Actor, Role
from finlife.kit.errors import FinlifeError
from finlife.wealth import service as wealth_service
from tests.accounts.support import Bank
from tests.factories import headers
from tests.wealth.support import Wealth


def test_the_bank_admin_lists_a_fund_with_its_ledger_accounts(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund("MMF1", "好收益货币基金")
    customer = bank.customer()
    listed = bank.client.get("/v1/funds", headers=headers(customer.token)).json()
    assert [(f["id"], f["code"], f["name"], f["currency"], f["latest_yield"]) for f in listed] == [
        (fund_id, "MMF1", "好收益货币基金", "CNY", None)
    ]
    again = bank.client.post("/v1/funds", json={"code": "MMF1", "name": "x"}, headers=headers(wealth.admin))
    assert (again.status_code, again.json()["code"]) == (409, "fund_code_taken")


def test_only_holders_of_funds_list_one(bank: Bank) -> None:
    teller = bank.staff(Role.TELLER)
    customer = bank.customer()
    for token in (teller, customer.token):
        answer = bank.client.post("/v1/funds", json={"code": "X1", "name": "x"}, headers=headers(token))
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")


def test_a_yield_is_published_once_per_business_day(wealth: Wealth, bank: Bank) -> None:
    fund_id = wealth.fund()
    first = wealth.publish(fund_id, "2026-12-04", "0.4512", "1.6540")
    assert first.status_code == 201, first.text
    assert first.json() == {"date": "2026-12-04", "per_10k": "0.4512", "seven_day": "1.6540"}
    twice = wealth.publish(fund_id, "2026-12-04", "0.5000")
    assert (twice.status_code, twice.json()["code"]) == (409, "fund_yield_already_published")
    saturday = wealth.publish(fund_id, "2026-12-05", "0.4512")
    assert (saturday.status_code, saturday.json()["code"]) == (422, "fund_not_business_day")
    national_day = wealth.publish(fund_id, "2026-10-01", "0.4512")  # a holiday by the State Council
    assert (national_day.status_code, national_day.json()["code"]) == (422, "fund_not_business_day")
    too_fine = wealth.publish(fund_id, "2026-12-03", "0.45121")
    assert too_fine.status_code == 422
    listed = bank.client.get("/v1/funds", headers=headers(bank.customer().token)).json()
    assert listed[0]["latest_yield"] == {"date": "2026-12-04", "per_10k": "0.4512", "seven_day": "1.6540"}


def test_a_yield_for_an_unknown_fund_is_not_found(wealth: Wealth) -> None:
    answer = wealth.publish("fnd_unknown", "2026-12-04", "0.4512")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_yields_load_from_the_administrators_file_once(wealth: Wealth, bank: Bank, tmp_path: Path) -> None:
    fund_id = wealth.fund("MMF9")
    good = tmp_path / "yields.csv"
    good.write_text("date,per_10k,seven_day\n2026-12-03,0.5012,1.7010\n2026-12-04,0.5234,1.7420\n", "utf-8")
    with bank.db.unit_of_work() as session:
        assert wealth_service.load_yields(session, Actor.system(), "MMF9", good) == (2, 0)
    with bank.db.unit_of_work() as session:
        assert wealth_service.load_yields(session, Actor.system(), fund_id, good) == (0, 2)  # sent twice
    bad = tmp_path / "bad.csv"
    bad.write_text("date,per_10k,seven_day\n2026-12-07,lots,1.7\n", "utf-8")
    with pytest.raises(FinlifeError) as refused, bank.db.unit_of_work() as session:
        wealth_service.load_yields(session, Actor.system(), "MMF9", bad)
    assert refused.value.code == "fund_yield_file_invalid"
    listed = bank.client.get("/v1/funds", headers=headers(bank.customer().token)).json()
    assert listed[0]["latest_yield"] == {"date": "2026-12-04", "per_10k": "0.5234", "seven_day": "1.7420"}
