"""The teller finds a customer by what the person at the counter has: a name, a phone, the ID card, a
bank card or an account number; the ID number is masked on the page, and shown whole only to who checks
identities, once, for a stated reason that the audit log keeps."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.app import create_app
from finlife.audit.models import AuditEvent
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.kit.masking import mask_id_number
from finlife.settings import Settings
from tests.accounts.support import Bank, Person, audit_count
from tests.factories import headers, make_user
from tests.web.forms import signed_in, submit

REVEALED = "customer.id_number_revealed"


def _customer_with_card(bank: Bank) -> tuple[Person, dict[str, Any]]:
    person = bank.customer()
    account = bank.funded(person, 0)
    card = bank.client.post(
        f"/v1/accounts/{account}/cards", json={"pin": "135790"}, headers=headers(bank.teller)
    )
    assert card.status_code == 201, card.text
    record = bank.client.get(f"/v1/customers/{person.customer_id}", headers=headers(bank.teller)).json()
    return person, {"pan": card.json()["pan"], "number": bank.account(account)["number"], **record}


def _found(teller: TestClient, query: str) -> str:
    page = teller.get("/bank/customers", params={"q": query})
    assert page.status_code == 200
    return page.text


@pytest.fixture
def teller(client: TestClient, db: Database, settings: Settings) -> TestClient:
    return signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))


def test_a_customer_is_found_by_name_phone_id_card_or_account_number(bank: Bank, teller: TestClient) -> None:
    person, known = _customer_with_card(bank)
    other = bank.customer()
    pan = known["pan"]
    printed = " ".join(pan[i : i + 4] for i in range(0, len(pan), 4))  # as embossed, in fours
    for query in (person.name, person.phone, known["id_number"], known["number"], pan, printed):
        found = _found(teller, query)
        assert f"/bank/customers/{person.customer_id}" in found, query
        assert f"/bank/customers/{other.customer_id}" not in found, query
    assert f"/bank/customers/{person.customer_id}" not in _found(
        teller, pan[:-1] + "0" if pan[-1] != "0" else pan[:-1] + "1"
    )


def test_a_card_is_found_with_the_asking_apps_key_whichever_app_was_made_last(
    bank: Bank, teller: TestClient, settings: Settings
) -> None:
    """A card is found by its number's keyed digest: the key is the app's that asks, not the one
    made last in the process (tests make many; a bank may run two with different keys)."""
    person, known = _customer_with_card(bank)
    create_app(settings.model_copy(update={"secret_key": "another-app-with-another-key-0123456789"}))
    assert f"/bank/customers/{person.customer_id}" in _found(teller, known["pan"])


def test_the_id_number_is_masked_and_shown_whole_once_for_a_reason_that_is_audited(
    bank: Bank, teller: TestClient, db: Database
) -> None:
    person, known = _customer_with_card(bank)
    whole = known["id_number"]
    page_path = f"/bank/customers/{person.customer_id}"
    action = f"{page_path}/id-number"
    page = teller.get(page_path).text
    assert whole not in page and mask_id_number(whole) in page
    assert "显示完整证件号" in page

    no_reason = submit(teller, page_path, action, {"reason": "  "})
    assert no_reason.status_code == 422
    assert whole not in no_reason.text and "请填写查看完整证件号的原因" in no_reason.text
    assert audit_count(db, REVEALED) == 0

    shown = submit(teller, page_path, action, {"reason": "客户挂失补卡，核对证件"})
    assert shown.status_code == 200
    assert f"data-revealed-id>{whole}<" in shown.text
    assert whole not in teller.get(page_path).text  # once: a reload masks it again
    with db.unit_of_work() as session:
        event = session.execute(select(AuditEvent).where(AuditEvent.action == REVEALED)).scalar_one()
        assert (event.subject_id, event.details) == (person.customer_id, {"reason": "客户挂失补卡，核对证件"})


def test_an_agent_on_the_phone_never_sees_the_whole_id_number(
    bank: Bank, client: TestClient, db: Database, settings: Settings
) -> None:
    person, known = _customer_with_card(bank)
    agent = signed_in(client, "bank", make_user(db, settings, roles=(Role.AGENT,)))
    page_path = f"/bank/customers/{person.customer_id}"
    page = agent.get(page_path)
    assert page.status_code == 200
    assert known["id_number"] not in page.text and "显示完整证件号" not in page.text
    refused = agent.post(f"{page_path}/id-number", data={"reason": "好奇", "csrf_token": "x"})
    assert refused.status_code in (403, 422)  # no form for them; a forged post is refused
    assert audit_count(db, REVEALED) == 0
