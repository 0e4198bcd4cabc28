"""The audit trail: every state change says who, through which channel, what and when."""

from __future__ import annotations

from finlife.kit.auth import Role
from tests.factories import headers, signup_customer, staff_token


def _signup(client, phone: str) -> str:  # type: ignore[no-untyped-def]
    body = {"phone": phone, "password": "long-enough-1", "name": "李四"}
    response = client.post("/v1/signup", json=body, headers=headers(channel="mobile"))
    assert response.status_code == 201, response.text
    customer_id: str = response.json()["id"]
    return customer_id


def test_bank_admin_reads_the_trail_newest_first(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    first = _signup(client, "13700000001")
    second = _signup(client, "13700000002")
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    page = client.get("/v1/audit-events", headers=headers(admin)).json()
    signups = [e for e in page["data"] if e["action"] == "customer.signed_up"]
    assert [e["subject_id"] for e in signups] == [second, first]
    assert {e["channel"] for e in signups} == {"mobile"}
    assert all(e["actor_user_id"] and e["at"] for e in signups)


def test_the_trail_filters_by_subject_and_pages_with_a_cursor(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    for n in range(3):
        _signup(client, f"1370000001{n}")
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    first = client.get("/v1/audit-events", params={"limit": 2}, headers=headers(admin)).json()
    assert len(first["data"]) == 2 and first["has_more"] is True
    rest = client.get(
        "/v1/audit-events",
        params={"limit": 2, "starting_after": first["data"][-1]["id"]},
        headers=headers(admin),
    ).json()
    assert len(rest["data"]) == 1 and rest["has_more"] is False
    subject = rest["data"][0]["subject_id"]
    only = client.get("/v1/audit-events", params={"subject_id": subject}, headers=headers(admin)).json()
    assert [e["subject_id"] for e in only["data"]] == [subject]


def test_only_the_bank_admin_reads_the_trail(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    teller = staff_token(client, db, settings, Role.TELLER)
    assert client.get("/v1/audit-events", headers=headers(teller)).status_code == 403
    assert client.get("/v1/audit-events").status_code == 401


def test_a_staff_read_of_a_customer_is_audited_and_the_owners_is_not(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, owner = signup_customer(client)
    client.get(f"/v1/customers/{customer_id}", headers=headers(owner, channel="mobile"))
    teller = staff_token(client, db, settings, Role.TELLER, channel="call_centre")
    client.get(f"/v1/customers/{customer_id}", headers=headers(teller, channel="call_centre"))
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    views = client.get(
        "/v1/audit-events", params={"action": "customer.viewed"}, headers=headers(admin)
    ).json()["data"]
    assert [(e["subject_id"], e["channel"]) for e in views] == [(customer_id, "call_centre")]
