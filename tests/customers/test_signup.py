from __future__ import annotations

import pytest

from finlife.kit.auth import Role
from tests.customers.support import audit_actions, counts, outbox_events
from tests.factories import PASSWORD, headers, make_user, sign_in, unique_phone


def _signup(client, phone, password=PASSWORD, name="张三", channel="mobile"):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/signup",
        json={"phone": phone, "password": password, "name": name},
        headers=headers(channel=channel),
    )


def test_signup_creates_a_registered_customer_and_its_login(client, db) -> None:  # type: ignore[no-untyped-def]
    phone = unique_phone()
    response = _signup(client, phone, name=" 张三 ")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("cus_")
    assert body["name"] == "张三"
    assert body["phone"] == phone
    assert body["kyc_level"] == "registered"
    assert body["status"] == "active"
    assert body["id_number"] is None and body["gender"] is None and body["birth_date"] is None
    assert body["verified_at"] is None and body["masked"] is False
    token = sign_in(client, username=phone)
    me = client.get("/v1/me", headers=headers(token)).json()
    assert me["id"] == body["id"]
    assert me["roles"] == ["customer"]
    assert me["username"] == phone


def test_signup_is_audited_published_and_recorded_as_an_interaction(client, db) -> None:  # type: ignore[no-untyped-def]
    phone = unique_phone()
    customer_id = _signup(client, phone).json()["id"]
    masked = phone[:3] + "****" + phone[-4:]
    [(action, channel, details)] = audit_actions(db, customer_id)
    assert (action, channel) == ("customer.signed_up", "mobile")
    assert details["phone"] == masked
    [event] = outbox_events(db, "customer.signed_up")
    assert event == {
        "channel": "mobile",
        "customer_id": customer_id,
        "phone": masked,
        "kyc_level": "registered",
    }
    token = sign_in(client, username=phone)
    interactions = client.get(f"/v1/customers/{customer_id}/interactions", headers=headers(token)).json()
    assert [(i["action"], i["channel"]) for i in interactions["data"]] == [("customer.signed_up", "mobile")]
    assert (
        interactions["data"][0]["actor_user_id"]
        == client.get("/v1/me", headers=headers(token)).json()["user_id"]
    )


@pytest.mark.parametrize(
    "phone", ["12912345678", "1391234567", "139123456789", "+8613912345678", "1391234567a"]
)
def test_a_malformed_phone_is_refused_and_nothing_is_created(client, db, phone) -> None:  # type: ignore[no-untyped-def]
    before = counts(db)
    response = _signup(client, phone)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_phone"
    assert response.json()["field"] == "phone"
    assert counts(db) == before


def test_full_width_digits_are_not_a_phone_number(client) -> None:  # type: ignore[no-untyped-def]
    assert _signup(client, "１３９１２３４５６７８").json()["code"] == "invalid_phone"


def test_a_phone_can_sign_up_once(client, db) -> None:  # type: ignore[no-untyped-def]
    phone = unique_phone()
    assert _signup(client, phone).status_code == 201
    before = counts(db)
    again = _signup(client, phone, name="李四")
    assert again.status_code == 409
    assert again.json()["code"] == "phone_taken"
    assert again.json()["field"] == "phone"
    assert counts(db) == before


def test_a_phone_used_as_a_staff_username_is_taken_and_no_customer_is_left(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    phone = unique_phone()
    make_user(db, settings, roles=(Role.TELLER,), username=phone)
    before = counts(db)
    response = _signup(client, phone)
    assert response.status_code == 409
    assert response.json()["code"] == "phone_taken"
    assert counts(db) == before


def test_a_short_password_is_weak_and_nothing_is_created(client, db) -> None:  # type: ignore[no-untyped-def]
    before = counts(db)
    response = _signup(client, unique_phone(), password="short7!")
    assert response.status_code == 422
    assert response.json()["code"] == "weak_password"
    assert response.json()["field"] == "password"
    assert counts(db) == before


def test_messages_come_in_the_callers_language(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/signup",
        json={"phone": "123", "password": PASSWORD, "name": "张三"},
        headers=headers(**{"Accept-Language": "en"}),
    )
    assert response.json()["detail"] == "The mobile number is not valid"
    assert response.headers["content-type"].startswith("application/problem+json")


def test_an_empty_name_is_a_validation_error(client, db) -> None:  # type: ignore[no-untyped-def]
    before = counts(db)
    response = _signup(client, unique_phone(), name="")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert counts(db) == before
