from __future__ import annotations

import pytest

from finlife.kit.auth import Role
from tests.customers.support import VALID_ID, id_number
from tests.factories import headers, signup_customer, staff_token, unique_phone, verify_in_person


def _verified_customer(client, db, settings) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    phone = unique_phone()
    customer_id, token = signup_customer(client, phone=phone)
    verify_in_person(client, db, settings, customer_id, name="张三", id_number=VALID_ID)
    return customer_id, token, phone


def test_the_owner_reads_their_record_in_clear(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token, phone = _verified_customer(client, db, settings)
    body = client.get(f"/v1/customers/{customer_id}", headers=headers(token, channel="mobile")).json()
    assert (body["phone"], body["id_number"], body["birth_date"]) == (phone, VALID_ID, "1949-12-31")
    assert body["masked"] is False


@pytest.mark.parametrize("role", [Role.TELLER, Role.BANK_ADMIN])
def test_serving_staff_read_the_record_in_clear(client, db, settings, role) -> None:  # type: ignore[no-untyped-def]
    customer_id, _, phone = _verified_customer(client, db, settings)
    staff = staff_token(client, db, settings, role)
    body = client.get(f"/v1/customers/{customer_id}", headers=headers(staff, channel="branch")).json()
    assert (body["phone"], body["id_number"]) == (phone, VALID_ID)


def test_another_customer_gets_404(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, _, _ = _verified_customer(client, db, settings)
    _, other = signup_customer(client)
    response = client.get(f"/v1/customers/{customer_id}", headers=headers(other))
    assert response.status_code == 404
    assert "110105" not in response.text


@pytest.mark.parametrize("role", [Role.BRANCH_MARKETING, Role.MERCHANT_OWNER, Role.PARTNER])
def test_other_roles_get_403(client, db, settings, role) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    token = staff_token(client, db, settings, role)
    assert client.get(f"/v1/customers/{customer_id}", headers=headers(token)).status_code == 403


def test_reading_needs_a_signed_in_caller(client) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    assert client.get(f"/v1/customers/{customer_id}").status_code == 401


def test_me_for_a_customer_is_their_record_with_the_login(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token, phone = _verified_customer(client, db, settings)
    body = client.get("/v1/me", headers=headers(token, channel="mobile")).json()
    assert body["id"] == customer_id
    assert (body["phone"], body["id_number"], body["kyc_level"]) == (phone, VALID_ID, "verified_in_person")
    assert body["roles"] == ["customer"]
    assert body["username"] == phone
    assert body["user_id"].startswith("usr_")


def test_me_for_staff_has_no_customer_fields(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    token = staff_token(client, db, settings, Role.TELLER, Role.BRANCH_MARKETING)
    body = client.get("/v1/me", headers=headers(token)).json()
    assert body["id"] is None and body["name"] is None and body["kyc_level"] is None
    assert body["roles"] == ["branch_marketing", "teller"]
    assert body["user_id"].startswith("usr_") and body["username"]


def test_me_needs_a_signed_in_caller(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/v1/me").status_code == 401


def test_search_masks_phone_and_id_number_and_withholds_the_birth_date(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, _, phone = _verified_customer(client, db, settings)
    teller = staff_token(client, db, settings, Role.TELLER)
    body = client.get("/v1/customers", params={"q": phone}, headers=headers(teller, channel="branch")).json()
    [found] = body["data"]
    assert found["id"] == customer_id
    assert found["phone"] == phone[:3] + "****" + phone[-4:]
    assert found["id_number"] == "110105********002X"
    assert found["birth_date"] is None and found["masked"] is True
    assert body["has_more"] is False


def test_search_by_name_part_phone_part_and_customer_id(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    zhang_id, _ = signup_customer(client, name="张三")
    li_phone = unique_phone()
    li_id, _ = signup_customer(client, name="李四", phone=li_phone)
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)

    def ids(q: str) -> list[str]:
        response = client.get("/v1/customers", params={"q": q}, headers=headers(admin))
        return [c["id"] for c in response.json()["data"]]

    assert ids("张") == [zhang_id]
    assert ids(li_phone[-6:]) == [li_id]
    assert ids(zhang_id) == [zhang_id]
    assert ids("%") == []  # wildcards are literal
    assert ids("") == [li_id, zhang_id]


def test_search_pages_with_a_cursor(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    created = [signup_customer(client, name=f"客户{n}")[0] for n in range(5)]
    teller = staff_token(client, db, settings, Role.TELLER)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"q": "客户", "limit": 2, **({"starting_after": cursor} if cursor else {})}
        page = client.get("/v1/customers", params=params, headers=headers(teller)).json()
        seen += [c["id"] for c in page["data"]]
        if not page["has_more"]:
            break
        cursor = page["data"][-1]["id"]
    assert seen == list(reversed(created))


@pytest.mark.parametrize("role", [Role.CUSTOMER, Role.BRANCH_MARKETING])
def test_search_is_for_serving_staff_only(client, db, settings, role) -> None:  # type: ignore[no-untyped-def]
    token = staff_token(client, db, settings, role)
    assert client.get("/v1/customers", headers=headers(token)).status_code == 403


def test_a_masked_id_number_keeps_its_region_and_last_four(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client, name="赵六")
    verify_in_person(client, db, settings, customer_id, name="赵六", id_number=id_number(region="310101"))
    teller = staff_token(client, db, settings, Role.TELLER)
    [found] = client.get("/v1/customers", params={"q": "赵六"}, headers=headers(teller)).json()["data"]
    assert found["id_number"].startswith("310101") and "*" in found["id_number"]
