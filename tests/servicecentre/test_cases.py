"""Cases: opened by an agent on the call-centre line, acted on while open, closed resolved or escalated;
the caller found by phone, ID number, card's last four (and name) or account number."""

from __future__ import annotations

from sqlalchemy import select

from finlife.accounts.models import DepositAccount
from finlife.audit.models import AuditEvent
from finlife.customers.models import Interaction
from finlife.kit.db import Database
from finlife.servicecentre import service
from tests.accounts.support import Bank
from tests.factories import headers
from tests.payments.support import payer
from tests.servicecentre.support import Desk


def test_an_agent_opens_and_closes_a_case_noted_on_the_customers_history(
    desk: Desk, bank: Bank, db: Database
) -> None:
    person = bank.customer()
    case = desk.open(person.customer_id, "failed_payment", note="来电称付款失败")
    assert (case["status"], case["reason"], case["channel"], case["contacts"]) == (
        "open",
        "failed_payment",
        "call_centre",
        1,
    )
    assert case["agent"] is not None and case["outcome"] is None
    closed = desk.close(case["id"], "escalated", "转后台")
    assert (closed["status"], closed["outcome"], closed["close_note"]) == ("closed", "escalated", "转后台")
    with db.unit_of_work() as session:
        seen = session.execute(
            select(Interaction.action, Interaction.channel).where(
                Interaction.customer_id == person.customer_id
            )
        ).all()
        audited = session.execute(
            select(AuditEvent.action).where(AuditEvent.subject_id == case["id"])
        ).scalars()
        assert ("service.case_opened", "call_centre") in seen
        assert ("service.case_closed", "call_centre") in seen
        assert sorted(audited) == ["service.case_closed", "service.case_opened"]


def test_a_closed_case_takes_no_more_actions_and_cannot_close_twice(desk: Desk, bank: Bank) -> None:
    case = desk.open(bank.customer().customer_id)
    desk.close(case["id"])
    again = desk.post(f"/v1/cases/{case['id']}/close", {"outcome": "resolved"})
    assert (again.status_code, again.json()["code"]) == (409, "case_closed")
    assert desk.post(f"/v1/cases/{case['id']}/contacts", {}).status_code == 409


def test_bad_cases_are_refused_and_nothing_is_stored(desk: Desk, bank: Bank) -> None:
    person = bank.customer()
    unknown_reason = desk.post("/v1/cases", {"customer_id": person.customer_id, "reason": "bored"})
    assert (unknown_reason.status_code, unknown_reason.json()["code"]) == (422, "validation_error")
    nobody = desk.post("/v1/cases", {"customer_id": "cus_nobody", "reason": "other"})
    assert nobody.status_code == 404
    bad_outcome = desk.post("/v1/cases/cas_nothing/close", {"outcome": "maybe"})
    assert bad_outcome.status_code == 422
    assert desk.post("/v1/cases/cas_nothing/close", {"outcome": "resolved"}).status_code == 404
    assert desk.get("/v1/cases", customer_id=person.customer_id).json() == []


def test_a_customer_coming_back_adds_a_contact(desk: Desk, bank: Bank) -> None:
    case = desk.open(bank.customer().customer_id)
    again = desk.post(f"/v1/cases/{case['id']}/contacts", {"note": "又来电"})
    assert again.json()["contacts"] == 2


def test_open_cases_lists_only_the_customers_open_cases_for_the_360_view(
    desk: Desk, bank: Bank, db: Database
) -> None:
    person, other = bank.customer(), bank.customer()
    first = desk.open(person.customer_id, "lost_card")
    second = desk.open(person.customer_id, "coupon")
    desk.open(other.customer_id, "dispute")
    desk.close(first["id"])
    with db.unit_of_work() as session:
        listed = service.open_cases(session, person.customer_id)
    assert [(c["id"], c["reason"], c["channel"], c["contacts"]) for c in listed] == [
        (second["id"], "coupon", "call_centre", 1)
    ]


def test_the_caller_is_found_by_what_they_can_tell(desk: Desk, bank: Bank, db: Database) -> None:
    who = payer(bank, 10_000)
    person = who.person
    customer = bank.client.get(f"/v1/customers/{person.customer_id}", headers=headers(bank.teller)).json()
    account = bank.client.get(f"/v1/accounts/{who.account_id}", headers=headers(bank.teller)).json()
    with db.unit_of_work() as session:
        number = session.execute(
            select(DepositAccount.number).where(DepositAccount.public_id == account["id"])
        ).scalar_one()

    def found(**params: str) -> list[tuple[str, str]]:
        response = desk.get("/v1/service/customers", **params)
        assert response.status_code == 200, response.text
        return [(m["id"], m["matched_by"]) for m in response.json()]

    me = person.customer_id
    assert found(phone=person.phone) == [(me, "phone")]
    assert found(id_number=customer["id_number"]) == [(me, "id_number")]
    assert (me, "card_last4") in found(card_last4=who.pan[-4:])
    assert found(card_last4=who.pan[-4:], name=person.name) == [(me, "card_last4")]
    assert found(card_last4=who.pan[-4:], name="别人") == []
    assert found(account_number=number) == [(me, "account_number")]
    assert found(phone=person.phone[:-1]) == []  # exact only: a part of a number finds nobody
    masked = desk.get("/v1/service/customers", phone=person.phone).json()[0]["phone"]
    assert masked != person.phone and "*" in masked
    nothing = desk.get("/v1/service/customers")
    assert (nothing.status_code, nothing.json()["code"]) == (422, "service_search_term_required")
