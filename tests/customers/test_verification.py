from __future__ import annotations

import pytest

from finlife.kit.auth import Role
from tests.customers.support import (
    UNKNOWN_COUNTY,
    UNKNOWN_REGION,
    VALID_ID,
    WRONG_CHECK_DIGIT,
    audit_actions,
    counts,
    id_number,
    outbox_events,
)
from tests.factories import headers, signup_customer, staff_token, unique_phone, verify_in_person


def _verify(client, customer_id, token, channel, *, name="张三", number=VALID_ID):  # type: ignore[no-untyped-def]
    return client.post(
        f"/v1/customers/{customer_id}/verifications",
        json={"name": name, "id_number": number},
        headers=headers(token, channel=channel),
    )


@pytest.mark.parametrize("role", [Role.TELLER, Role.BANK_ADMIN])
def test_staff_at_the_branch_verify_in_person(client, db, settings, role) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    staff = staff_token(client, db, settings, role)
    response = _verify(client, customer_id, staff, "branch", number=VALID_ID.lower())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kyc_level"] == "verified_in_person"
    assert body["id_number"] == VALID_ID
    assert body["gender"] == "female"
    assert body["birth_date"] == "1949-12-31"
    assert body["verified_at"] is not None


def test_the_customer_verifies_remotely_on_mobile(client) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client, name="李四")
    number = id_number(sequence="123")
    response = _verify(client, customer_id, token, "mobile", name="李四", number=number)
    assert response.status_code == 200, response.text
    assert response.json()["kyc_level"] == "verified_remote"
    assert response.json()["gender"] == "male"
    assert response.json()["birth_date"] == "1990-01-01"


def test_a_remote_verification_never_downgrades_an_in_person_one(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client)
    verify_in_person(client, db, settings, customer_id, name="张三", id_number=VALID_ID)
    again = _verify(client, customer_id, token, "mobile")
    assert again.status_code == 200
    assert again.json()["kyc_level"] == "verified_in_person"


def test_an_in_person_check_upgrades_a_remote_one(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client)
    assert _verify(client, customer_id, token, "mobile").json()["kyc_level"] == "verified_remote"
    body = verify_in_person(client, db, settings, customer_id, name="张三", id_number=VALID_ID)
    assert body["kyc_level"] == "verified_in_person"


@pytest.mark.parametrize("channel", ["web", "call_centre"])
def test_staff_verify_only_at_the_branch(client, db, settings, channel) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    teller = staff_token(client, db, settings, Role.TELLER, channel=channel)
    response = _verify(client, customer_id, teller, channel)
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"


def test_a_teller_signed_in_elsewhere_cannot_claim_the_branch(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    teller = staff_token(client, db, settings, Role.TELLER, channel="web")
    response = _verify(client, customer_id, teller, "branch")
    assert (response.status_code, response.json()["code"]) == (403, "channel_mismatch")


def test_the_customer_verifies_only_on_mobile(client) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client, channel="web")
    response = _verify(client, customer_id, token, "web")
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"


@pytest.mark.parametrize("channel", ["branch", "atm"])
def test_a_customer_cannot_claim_the_branch_or_an_atm(client, channel) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client)
    response = _verify(client, customer_id, token, channel)
    assert (response.status_code, response.json()["code"]) == (403, "channel_mismatch")


@pytest.mark.parametrize(
    "role", [Role.BRANCH_MARKETING, Role.HQ_MARKETING, Role.MERCHANT_OWNER, Role.PARTNER]
)
def test_other_roles_may_not_verify(client, db, settings, role) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    token = staff_token(client, db, settings, role)
    assert _verify(client, customer_id, token, "branch").status_code == 403


def test_a_customer_cannot_verify_someone_else_nor_learn_they_exist(client, db) -> None:  # type: ignore[no-untyped-def]
    victim_id, _ = signup_customer(client)
    _, intruder = signup_customer(client)
    before = counts(db)
    response = _verify(client, victim_id, intruder, "mobile")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert counts(db) == before


def test_verifying_an_unknown_customer_is_404(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    teller = staff_token(client, db, settings, Role.TELLER)
    assert _verify(client, "cus_nobody", teller, "branch").status_code == 404


def test_verification_needs_a_signed_in_caller(client) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    assert _verify(client, customer_id, None, "mobile").status_code == 401


@pytest.mark.parametrize(
    "number",
    [
        WRONG_CHECK_DIGIT,
        UNKNOWN_REGION,
        UNKNOWN_COUNTY,
        "11010519491231002",
        "1101051949123100XX",
        "110105194902300029",
    ],
)
def test_invalid_resident_ids_are_refused(client, db, settings, number) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    teller = staff_token(client, db, settings, Role.TELLER)
    before = counts(db)
    response = _verify(client, customer_id, teller, "branch", number=number)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_id_number"
    assert response.json()["field"] == "id_number"
    assert counts(db) == before


def test_the_name_must_match_the_record(client) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client, name="张三")
    response = _verify(client, customer_id, token, "mobile", name="张三丰")
    assert response.status_code == 422
    assert response.json()["code"] == "name_mismatch"
    assert response.json()["field"] == "name"


def test_one_id_number_belongs_to_one_customer(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    first_id, _ = signup_customer(client)
    verify_in_person(client, db, settings, first_id, name="张三", id_number=VALID_ID)
    second_id, token = signup_customer(client)
    response = _verify(client, second_id, token, "mobile")
    assert response.status_code == 409
    assert response.json()["code"] == "id_number_taken"
    assert response.json()["field"] == "id_number"


def test_a_verified_id_number_cannot_be_replaced(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client)
    verify_in_person(client, db, settings, customer_id, name="张三", id_number=VALID_ID)
    response = _verify(client, customer_id, token, "mobile", number=id_number(sequence="124"))
    assert response.status_code == 409
    assert response.json()["code"] == "id_number_mismatch"


def test_verification_is_audited_and_published_with_the_id_masked(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    verify_in_person(client, db, settings, customer_id, name="张三", id_number=VALID_ID)
    actions = audit_actions(db, customer_id)
    assert [(a, c) for a, c, _ in actions] == [("customer.signed_up", "web"), ("customer.verified", "branch")]
    assert actions[1][2] == {
        "id_number": "110105********002X",
        "kyc_level": "verified_in_person",
        "method": "verified_in_person",
    }
    [event] = outbox_events(db, "customer.verified")
    assert event["customer_id"] == customer_id
    assert event["channel"] == "branch"
    assert event["id_number"] == "110105********002X"
    assert VALID_ID not in str(actions) + str(event)


def test_staff_create_a_customer_at_the_branch_without_a_login(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    teller = staff_token(client, db, settings, Role.TELLER)
    before = counts(db)
    response = client.post(
        "/v1/customers",
        json={"name": "王五", "phone": unique_phone()},
        headers=headers(teller, channel="branch"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["kyc_level"] == "registered"
    after = counts(db)
    assert after["customers"] == before["customers"] + 1
    assert after["users"] == before["users"]
    assert [a for a, _, _ in audit_actions(db, body["id"])] == ["customer.created"]
    [event] = outbox_events(db, "customer.created")
    assert event["customer_id"] == body["id"] and "****" in event["phone"]


def test_creating_with_an_id_number_verifies_in_person_in_the_same_call(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    response = client.post(
        "/v1/customers",
        json={"name": "张三", "phone": unique_phone(), "id_number": VALID_ID},
        headers=headers(admin, channel="branch"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["kyc_level"] == "verified_in_person"
    actions = [a for a, _, _ in audit_actions(db, response.json()["id"])]
    assert actions == ["customer.created", "customer.verified"]


def test_creating_with_a_bad_id_number_creates_nothing(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    teller = staff_token(client, db, settings, Role.TELLER)
    before = counts(db)
    response = client.post(
        "/v1/customers",
        json={"name": "张三", "phone": unique_phone(), "id_number": WRONG_CHECK_DIGIT},
        headers=headers(teller, channel="branch"),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_id_number"
    assert counts(db) == before


def test_creating_with_an_id_number_away_from_the_branch_is_refused(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    call_centre = staff_token(client, db, settings, Role.TELLER, channel="call_centre")
    response = client.post(
        "/v1/customers",
        json={"name": "张三", "phone": unique_phone(), "id_number": VALID_ID},
        headers=headers(call_centre, channel="call_centre"),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "channel_not_allowed"


def test_branch_creation_checks_phone_and_role(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    teller = staff_token(client, db, settings, Role.TELLER)
    phone = unique_phone()
    signup_customer(client, phone=phone)
    taken = client.post(
        "/v1/customers", json={"name": "张三", "phone": phone}, headers=headers(teller, channel="branch")
    )
    assert (taken.status_code, taken.json()["code"]) == (409, "phone_taken")
    bad = client.post(
        "/v1/customers", json={"name": "张三", "phone": "110"}, headers=headers(teller, channel="branch")
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_phone")
    _, customer = signup_customer(client)
    refused = client.post(
        "/v1/customers",
        json={"name": "张三", "phone": unique_phone()},
        headers=headers(customer, channel="branch"),
    )
    assert refused.status_code == 403
