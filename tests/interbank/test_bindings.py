"""Remote Class II/III opening bound to another bank's account: that bank confirms it first."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.accounts.models import DepositAccount
from finlife.kit.db import Database
from tests.accounts.support import Bank, Person, count_rows
from tests.banksim.support import ALICE, CODE, free_port
from tests.factories import headers
from tests.interbank.support import OtherBank, account_there


def _open(bank: Bank, person: Person, account_class: str, bound: dict[str, str]) -> httpx.Response:
    return bank.open_raw(person.customer_id, account_class, token=person.token, channel="mobile", bound=bound)


@pytest.mark.parametrize("account_class", ["II", "III"])
def test_the_other_bank_confirms_the_account_is_the_same_persons(
    bank: Bank, other_bank: OtherBank, account_class: str
) -> None:
    person = bank.customer("verified_remote")
    bound = account_there(other_bank.simulator, bank.client, person, "62280007001")
    opened = _open(bank, person, account_class, bound)
    assert opened.status_code == 201, opened.text
    assert opened.json()["bound_account"] == {
        "account_id": None,
        "bank_code": CODE,
        "number": "**** 7001",
        "verified": True,
    }


def test_someone_elses_or_an_unknown_account_is_refused_and_nothing_opens(
    bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    person = bank.customer("verified_remote")
    before = count_rows(db, DepositAccount)
    alices = _open(bank, person, "II", {"bank_code": CODE, "number": ALICE["account_number"]})
    assert (alices.status_code, alices.json()["code"]) == (422, "bound_account_not_verified")
    unknown = _open(bank, person, "III", {"bank_code": CODE, "number": "62289999999"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "bound_account_not_verified")
    # Same number, same name, another person's ID number: still not confirmed.
    account_there(other_bank.simulator, bank.client, person, "62280007002", id_number=ALICE["id_number"])
    wrong_id = _open(bank, person, "II", {"bank_code": CODE, "number": "62280007002"})
    assert (wrong_id.status_code, wrong_id.json()["code"]) == (422, "bound_account_not_verified")
    assert count_rows(db, DepositAccount) == before


def test_a_bank_that_does_not_answer_stops_the_opening(
    client: TestClient, bank: Bank, db: Database, other_bank: OtherBank
) -> None:
    silent = {
        "code": "SLNT",
        "name": "不应答银行",
        "bins": ["621999"],
        "iso20022_url": f"http://127.0.0.1:{free_port()}",
        "timeout_ms": 300,
    }
    assert client.post("/v1/banks", json=silent, headers=headers(other_bank.admin)).status_code == 201
    person = bank.customer("verified_remote")
    before = count_rows(db, DepositAccount)
    answer = _open(bank, person, "II", {"bank_code": "SLNT", "number": "62199900001"})
    assert (answer.status_code, answer.json()["code"]) == (503, "bank_unreachable")
    assert count_rows(db, DepositAccount) == before
