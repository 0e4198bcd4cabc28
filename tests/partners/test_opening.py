"""A partner opens Class II/III accounts for its users: pending until the person's one-time code,
then a verified customer and an account bound to their Class I account, under the PBoC rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from finlife.accounts.models import DepositAccount
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank, Person, count_rows
from tests.factories import headers, resident_id, unique_phone
from tests.interbank.support import id_number_of
from tests.partners.activation import activate_and_sign_in
from tests.partners.factories import partner_token
from tests.partners.support import Caller, KeyedPartner, caller, keyed_partner, last_code, texts_to

OPEN_SCOPES = ["partner:self", "accounts:open"]


@pytest.fixture
def partner(db: Database, settings: Settings) -> KeyedPartner:
    return keyed_partner(db, settings)


@pytest.fixture
def opener(db: Database, partner: KeyedPartner) -> Caller:
    return Caller(partner, partner_token(db, partner.made, scopes=OPEN_SCOPES))


def ask(
    client: TestClient, opener: Caller, person: dict[str, Any], account_class: str = "II"
) -> httpx.Response:
    return opener.post(client, "/v1/partner/accounts", {**person, "class": account_class})


def confirm(client: TestClient, opener: Caller, opening_id: str, code: str) -> httpx.Response:
    return opener.post(client, f"/v1/partner/accounts/{opening_id}/confirm", {"code": code})


def customer_here(bank: Bank, settings: Settings) -> tuple[Person, str, dict[str, Any]]:
    """A customer verified in person with a Class I account: (person, its id, the opening body)."""
    person = bank.customer()
    class_i = bank.open(person)
    body = {
        "name": person.name,
        "id_number": id_number_of(bank.client, person),
        "phone": person.phone,
        "bound_account": {"bank_code": settings.bank_code, "account_number": class_i["number"]},
    }
    return person, class_i["id"], body


@pytest.mark.parametrize("account_class", ["II", "III"])
def test_the_persons_code_opens_the_account_bound_to_their_class_i(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller, account_class: str
) -> None:
    person, class_i, body = customer_here(bank, settings)
    asked = ask(client, opener, body, account_class)
    assert asked.status_code == 202, asked.text
    pending = asked.json()
    assert pending["status"] == "pending_verification"
    assert pending["account_id"] is None and pending["customer_id"] is None
    assert pending["phone"] == person.phone[:3] + "****" + person.phone[-4:]
    assert "好邻居生活" in texts_to(db, person.phone)[-1]  # the text names who asks to open the account
    opened = confirm(client, opener, pending["id"], last_code(db, person.phone))
    assert opened.status_code == 200, opened.text
    result = opened.json()
    assert (result["status"], result["customer_id"], result["class"]) == (
        "opened",
        person.customer_id,
        account_class,
    )
    account = bank.account(result["account_id"])
    assert account["class"] == account_class
    assert account["customer_id"] == person.customer_id
    assert account["bound_account"] == {
        "account_id": class_i,
        "bank_code": None,
        "number": None,
        "verified": True,
    }
    seen = client.get(f"/v1/partner/accounts/{pending['id']}", headers=headers(opener.token))
    assert seen.status_code == 200 and seen.json()["account_id"] == result["account_id"]


def test_wrong_codes_are_refused_and_after_five_even_the_right_one_is(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, _, body = customer_here(bank, settings)
    pending = ask(client, opener, body).json()
    right = last_code(db, person.phone)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(settings.one_time_code_tries):
        refused = confirm(client, opener, pending["id"], wrong)
        # One answer for every failure: a guesser learns nothing (not even the tries left).
        assert (refused.status_code, refused.json()["code"]) == (422, "one_time_code_invalid")
        assert "tries_left" not in refused.json()
    spent = confirm(client, opener, pending["id"], right)
    assert (spent.status_code, spent.json()["code"]) == (422, "one_time_code_invalid")
    assert (
        client.get(f"/v1/partner/accounts/{pending['id']}", headers=headers(opener.token)).json()["status"]
        == "pending_verification"
    )


def test_an_expired_code_is_refused_and_a_new_one_can_be_sent(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, _, body = customer_here(bank, settings)
    pending = ask(client, opener, body).json()
    resend = f"/v1/partner/accounts/{pending['id']}/code"
    too_soon = opener.post(client, resend)
    assert (too_soon.status_code, too_soon.json()["code"]) == (429, "one_time_code_too_soon")
    assert too_soon.headers["Retry-After"] == "60"
    old = last_code(db, person.phone)
    clock.advance(timedelta(minutes=5, seconds=1))
    refused = confirm(client, opener, pending["id"], old)
    assert (refused.status_code, refused.json()["code"]) == (422, "one_time_code_invalid")
    assert opener.post(client, resend).status_code == 200
    new = last_code(db, person.phone)
    if new != old:  # the new code replaced the old one: the old one is refused, though fresh again
        stale = confirm(client, opener, pending["id"], old)
        assert (stale.status_code, stale.json()["code"]) == (422, "one_time_code_invalid")
    assert confirm(client, opener, pending["id"], new).json()["status"] == "opened"


def test_a_code_works_once(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, _, body = customer_here(bank, settings)
    pending = ask(client, opener, body).json()
    code = last_code(db, person.phone)
    assert confirm(client, opener, pending["id"], code).status_code == 200
    again = confirm(client, opener, pending["id"], code)
    assert (again.status_code, again.json()["code"]) == (409, "account_opening_not_pending")


def test_a_sixth_class_ii_account_is_refused(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    person, class_i, body = customer_here(bank, settings)
    for _ in range(5):
        bank.open(person, "II", token=person.token, channel="mobile", bound={"account_id": class_i})
    before = count_rows(db, DepositAccount)
    pending = ask(client, opener, body).json()
    refused = confirm(client, opener, pending["id"], last_code(db, person.phone))
    assert (refused.status_code, refused.json()["code"]) == (422, "account_class_quota")
    assert count_rows(db, DepositAccount) == before


def test_a_partner_sees_only_the_accounts_it_opened(
    client: TestClient, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    _, _, body = customer_here(bank, settings)
    mine = ask(client, opener, body).json()
    other = caller(db, settings, scopes=OPEN_SCOPES, name="别家")
    assert client.get(f"/v1/partner/accounts/{mine['id']}", headers=headers(other.token)).status_code == 404
    stolen = confirm(client, other, mine["id"], "123456")
    assert (stolen.status_code, stolen.json()["code"]) == (404, "not_found")
    listed = client.get("/v1/partner/accounts", headers=headers(other.token))
    assert listed.status_code == 200 and mine["id"] not in [o["id"] for o in listed.json()["data"]]
    own = client.get("/v1/partner/accounts", headers=headers(opener.token))
    assert mine["id"] in [o["id"] for o in own.json()["data"]]


def test_the_scope_and_the_signature_are_required(
    client: TestClient, bank: Bank, db: Database, settings: Settings, partner: KeyedPartner, opener: Caller
) -> None:
    _, _, body = customer_here(bank, settings)
    reader = Caller(partner, partner_token(db, partner.made, scopes=["partner:self"]))
    refused = ask(client, reader, body)
    assert (refused.status_code, refused.json()["code"]) == (403, "insufficient_scope")
    unsigned = client.post(
        "/v1/partner/accounts", json={**body, "class": "II"}, headers=headers(opener.token)
    )
    assert (unsigned.status_code, unsigned.json()["code"]) == (401, "signature_missing")


def test_a_person_new_to_the_bank_registers_and_signs_in_later(
    client: TestClient, app: Any, bank: Bank, db: Database, settings: Settings, opener: Caller
) -> None:
    """Bound at this bank is only possible for a customer; here a customer without a login (created
    at the counter, as a partner's user registered by an earlier opening would be) opens through the
    partner, then sets a password on /app with a code sent to their phone, and signs in."""
    teller_made = client.post(
        "/v1/customers",
        json={"name": "林新", "phone": unique_phone(), "id_number": resident_id()},
        headers=headers(bank.teller, channel="branch"),
    )
    assert teller_made.status_code == 201, teller_made.text
    record = teller_made.json()
    person = Person(record["id"], bank.teller, record["name"], record["phone"])
    class_i = bank.open(person)
    body = {
        "name": person.name,
        "id_number": record["id_number"],
        "phone": person.phone,
        "bound_account": {"bank_code": settings.bank_code, "account_number": class_i["number"]},
    }
    pending = ask(client, opener, body, "III").json()
    opened = confirm(client, opener, pending["id"], last_code(db, person.phone)).json()
    assert opened["activation_path"] == "/app/activate"
    activate_and_sign_in(app, db, person.phone, opened["account_id"])
