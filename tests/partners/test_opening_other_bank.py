"""A partner's user bound to an account at another bank: that bank confirms it is theirs (name and
ID number) before anything opens; a person new to finlife becomes a verified customer."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.customers.models import Customer
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank, Person, count_rows
from tests.banksim.support import ALICE, CODE, open_account
from tests.factories import resident_id, unique_phone
from tests.interbank.support import OtherBank
from tests.partners.activation import activate_and_sign_in
from tests.partners.support import Caller, caller, last_code, texts_to


def _stranger(other_bank: OtherBank, number: str) -> dict[str, Any]:
    person = {"name": "陈远", "id_number": resident_id(), "phone": unique_phone()}
    open_account(other_bank.simulator, number, person["name"], person["id_number"])
    return {**person, "bound_account": {"bank_code": CODE, "account_number": number}}


def _open(client: TestClient, db: Database, opener: Caller, body: dict[str, Any]) -> Any:
    asked = opener.post(client, "/v1/partner/accounts", {**body, "class": "II"})
    assert asked.status_code == 202, asked.text
    confirm = f"/v1/partner/accounts/{asked.json()['id']}/confirm"
    return opener.post(client, confirm, {"code": last_code(db, body["phone"])})


def test_a_new_person_bound_at_another_bank_becomes_a_customer_who_can_sign_in(
    client: TestClient, app: Any, db: Database, settings: Settings, other_bank: OtherBank
) -> None:
    opener = caller(db, settings, scopes=["partner:self", "accounts:open"])
    body = _stranger(other_bank, "62280009001")
    opened = _open(client, db, opener, body)
    assert opened.status_code == 200, opened.text
    result = opened.json()
    with db.unit_of_work() as session:
        customer = session.execute(
            select(Customer).where(Customer.public_id == result["customer_id"])
        ).scalar_one()
        assert (customer.name, customer.phone, customer.id_number) == (
            body["name"],
            body["phone"],
            body["id_number"],
        )
        assert customer.kyc_level == "verified_remote"
    assert any("/app/activate" in text for text in texts_to(db, body["phone"]))
    activate_and_sign_in(app, db, body["phone"], result["account_id"])


def test_an_account_the_other_bank_does_not_confirm_opens_nothing(
    client: TestClient, bank: Bank, db: Database, settings: Settings, other_bank: OtherBank
) -> None:
    opener = caller(db, settings, scopes=["accounts:open"])
    body = _stranger(other_bank, "62280009002")
    body["bound_account"]["account_number"] = ALICE["account_number"]  # someone else's account there
    customers_before = count_rows(db, Customer)
    refused = _open(client, db, opener, body)
    assert (refused.status_code, refused.json()["code"]) == (422, "bound_account_not_verified")
    assert count_rows(db, Customer) == customers_before


def test_someone_elses_phone_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, other_bank: OtherBank
) -> None:
    opener = caller(db, settings, scopes=["accounts:open"])
    existing: Person = bank.customer()
    body = _stranger(other_bank, "62280009003")
    body["phone"] = existing.phone
    refused = _open(client, db, opener, body)
    assert (refused.status_code, refused.json()["code"]) == (409, "phone_taken")
