"""Opening Class I/II/III accounts: who, where, KYC, binding, quotas, numbers and the record."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from stdnum import luhn

from finlife.accounts.models import DepositAccount
from finlife.kit.auth import Role
from finlife.settings import Settings
from tests.accounts.support import Bank, audit_count, count_rows, outbox_count
from tests.customers.support import audit_actions, outbox_events
from tests.factories import headers, staff_token


def test_a_teller_opens_a_class_i_account_with_a_luhn_checked_number(bank: Bank, settings: Settings) -> None:
    person = bank.customer()
    body = bank.open(person, "I")
    assert body["id"].startswith("acc_")
    assert body["class"] == "I"
    assert body["status"] == "active"
    assert body["currency"] == "CNY"
    assert body["masked"] is False
    number = body["number"]
    assert len(number) == 19 and number.startswith(settings.account_prefix)
    assert luhn.is_valid(number)
    assert body["balance"] == {"ledger": 0, "available": 0, "held": 0}
    assert body["limits"] == {"in": None, "out": None, "balance_cap": None}
    assert body["bound_account"] is None


def test_opening_is_audited_published_and_noted_with_the_number_masked(bank: Bank) -> None:
    person = bank.customer()
    body = bank.open(person, "I")
    (action, channel, details), *_ = audit_actions(bank.db, body["id"])
    assert (action, channel) == ("account.opened", "branch")
    assert details["number"] == f"{body['number'][:4]} **** **** {body['number'][-4:]}"
    events = outbox_events(bank.db, "account.opened")
    assert [e["account_id"] for e in events] == [body["id"]]
    assert events[0]["customer_id"] == person.customer_id
    assert body["number"] not in str(events)
    interactions = bank.client.get(
        f"/v1/customers/{person.customer_id}/interactions", headers=headers(person.token)
    ).json()["data"]
    assert "account.opened" in [i["action"] for i in interactions]


def test_class_i_needs_an_in_person_verification(bank: Bank) -> None:
    for kyc in ("registered", "verified_remote"):
        person = bank.customer(kyc)
        response = bank.open_raw(person.customer_id, "I")
        assert response.status_code == 422
        assert response.json()["code"] == "kyc_level_insufficient"
    assert count_rows(bank.db, DepositAccount) == 0


def test_one_class_i_account_per_customer(bank: Bank) -> None:
    person = bank.customer()
    bank.open(person, "I")
    response = bank.open_raw(person.customer_id, "I")
    assert response.status_code == 409
    assert response.json()["code"] == "class_i_exists"
    assert count_rows(bank.db, DepositAccount) == 1


def test_class_ii_and_iii_need_at_least_a_remote_verification(bank: Bank) -> None:
    person = bank.customer("registered")
    for account_class in ("II", "III"):
        response = bank.open_raw(person.customer_id, account_class)
        assert response.status_code == 422
        assert response.json()["code"] == "kyc_level_insufficient"


def test_at_the_counter_class_ii_needs_no_bound_account(bank: Bank) -> None:
    person = bank.customer("verified_remote")
    body = bank.open(person, "II")
    assert body["class"] == "II"
    assert body["bound_account"] is None


def test_remote_opening_needs_a_bound_account(bank: Bank) -> None:
    person = bank.customer("verified_remote")
    response = bank.open_raw(person.customer_id, "II", token=person.token, channel="mobile")
    assert response.status_code == 422
    assert response.json()["code"] == "bound_account_required"


def test_remote_opening_bound_to_own_class_i(bank: Bank) -> None:
    person = bank.customer()
    class_i = bank.open(person, "I")
    body = bank.open(person, "III", token=person.token, channel="mobile", bound={"account_id": class_i["id"]})
    assert body["bound_account"] == {
        "account_id": class_i["id"],
        "bank_code": None,
        "number": None,
        "verified": True,
    }
    assert body["limits"]["balance_cap"] == 200_000
    assert body["limits"]["in"] is None
    assert body["limits"]["out"]["daily"] == {"limit": 200_000, "used": 0, "remaining": 200_000}
    assert body["limits"]["out"]["yearly"]["limit"] == 5_000_000


def test_the_bound_account_must_be_a_class_i_of_the_same_person(bank: Bank) -> None:
    person, other = bank.customer(), bank.customer()
    others = bank.open(other, "I")
    own_ii = bank.open(person, "II")
    for bound in ({"account_id": others["id"]}, {"account_id": own_ii["id"]}, {"account_id": "acc_missing"}):
        response = bank.open_raw(person.customer_id, "II", token=person.token, channel="mobile", bound=bound)
        assert response.status_code == 422, bound
        assert response.json()["code"] == "bound_account_invalid"


def test_remote_opening_bound_to_an_account_at_another_bank(bank: Bank) -> None:
    person = bank.customer("verified_remote")
    bound = {"bank_code": "ICBC", "number": "6222021234567890123"}
    body = bank.open(person, "II", token=person.token, channel="mobile", bound=bound)
    assert body["bound_account"] == {
        "account_id": None,
        "bank_code": "ICBC",
        "number": "**** 0123",
        "verified": False,  # ICBC is not in our bank directory: nobody could confirm it
    }
    assert body["limits"]["in"]["daily"]["limit"] == 1_000_000
    with bank.db.unit_of_work() as session:
        stored = session.execute(
            select(DepositAccount).where(DepositAccount.public_id == body["id"])
        ).scalar_one()
        assert stored.bound_number == "6222021234567890123"
    (_, _, details), *_ = audit_actions(bank.db, body["id"])
    assert "6222021234567890123" not in str(details)


def test_a_half_given_bound_account_is_refused(bank: Bank) -> None:
    person = bank.customer("verified_remote")
    for bound in (
        {"bank_code": "ICBC"},
        {"number": "6222021234567890123"},
        {"bank_code": "FLB", "number": "12345678"},
    ):
        response = bank.open_raw(person.customer_id, "II", token=person.token, channel="mobile", bound=bound)
        assert response.status_code == 422, bound
        assert response.json()["code"] == "bound_account_invalid"


@pytest.mark.parametrize("account_class", ["II", "III"])
def test_at_most_five_accounts_per_class(bank: Bank, account_class: str) -> None:
    person = bank.customer("verified_remote")
    for _ in range(5):
        bank.open(person, account_class)
    response = bank.open_raw(person.customer_id, account_class)
    assert response.status_code == 422
    assert response.json()["code"] == "account_class_quota"
    assert count_rows(bank.db, DepositAccount) == 5
    assert audit_count(bank.db, "account.opened") == outbox_count(bank.db, "account.opened") == 5


def test_a_customer_opens_only_for_themselves_and_never_class_i(bank: Bank) -> None:
    person, other = bank.customer(), bank.customer()
    class_i = bank.open(person, "I")
    response = bank.open_raw(other.customer_id, "II", token=person.token, channel="mobile")
    assert response.status_code == 404
    response = bank.open_raw(person.customer_id, "I", token=person.token, channel="mobile")
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"
    assert class_i["id"]


def test_staff_open_only_at_the_branch_and_only_tellers_and_admins(bank: Bank) -> None:
    person = bank.customer()
    on_web = staff_token(bank.client, bank.db, bank.settings, Role.TELLER, channel="web")
    response = bank.open_raw(person.customer_id, "I", token=on_web, channel="web")
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"
    marketing = bank.staff(Role.BRANCH_MARKETING)
    assert bank.open_raw(person.customer_id, "I", token=marketing).status_code == 403
    admin = bank.staff(Role.BANK_ADMIN)
    assert bank.open_raw(person.customer_id, "I", token=admin).status_code == 201


def test_opening_for_an_unknown_customer_is_404(bank: Bank) -> None:
    response = bank.open_raw("cus_nobody", "I")
    assert response.status_code == 404


def test_the_class_must_be_one_of_three(bank: Bank) -> None:
    person = bank.customer()
    assert bank.open_raw(person.customer_id, "IV").status_code == 422
