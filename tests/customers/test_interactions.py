from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import IntegrityError

from finlife.customers import service
from finlife.customers.schemas import KycLevel
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import NotFound
from finlife.kit.pagination import PageParams
from tests.customers.support import VALID_ID, counts
from tests.factories import PASSWORD, headers, signup_customer, staff_token, unique_phone, verify_in_person


def _interactions(client, customer_id, token, **params):  # type: ignore[no-untyped-def]
    return client.get(f"/v1/customers/{customer_id}/interactions", params=params, headers=headers(token))


def test_every_call_is_an_interaction_on_its_channel(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client)
    client.get("/v1/me", headers=headers(token, channel="mobile"))
    client.get(f"/v1/customers/{customer_id}", headers=headers(token, channel="mobile"))
    verify_in_person(client, db, settings, customer_id, name="张三", id_number=VALID_ID)
    teller = staff_token(client, db, settings, Role.TELLER, channel="call_centre")
    assert client.get(
        f"/v1/customers/{customer_id}", headers=headers(teller, channel="call_centre")
    ).is_success
    body = _interactions(client, customer_id, teller).json()
    # Reads are not interactions (a staff read is audited instead, see test_reading).
    assert [(i["action"], i["channel"]) for i in body["data"]] == [
        ("customer.verified", "branch"),
        ("customer.signed_up", "web"),
    ]
    assert all(i["customer_id"] == customer_id for i in body["data"])
    assert body["data"][0]["details"]["id_number"] == "110105********002X"


def test_interactions_page_with_a_cursor(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, token = signup_customer(client)
    teller = Actor(channel=Channel.BRANCH, user_id="usr_t", username="t", roles=frozenset({Role.TELLER}))
    with db.unit_of_work() as session:
        for _ in range(4):
            service.record_interaction(session, teller, customer_id, "account.opened")
    first = _interactions(client, customer_id, token, limit=3).json()
    assert len(first["data"]) == 3 and first["has_more"] is True
    rest = _interactions(client, customer_id, token, limit=3, starting_after=first["data"][-1]["id"]).json()
    assert [i["action"] for i in rest["data"]] == ["account.opened", "customer.signed_up"]
    assert rest["has_more"] is False


def test_interactions_are_scoped_like_the_record(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    _, other = signup_customer(client)
    assert _interactions(client, customer_id, other).status_code == 404
    marketing = staff_token(client, db, settings, Role.BRANCH_MARKETING)
    assert _interactions(client, customer_id, marketing).status_code == 403
    admin = staff_token(client, db, settings, Role.BANK_ADMIN)
    assert _interactions(client, customer_id, admin).status_code == 200


def test_other_modules_record_interactions_and_read_facts(client, db) -> None:  # type: ignore[no-untyped-def]
    customer_id, _ = signup_customer(client)
    teller = Actor(channel=Channel.ATM, user_id="usr_atm", username="atm", roles=frozenset({Role.TELLER}))
    with db.unit_of_work() as session:
        service.record_interaction(session, teller, customer_id, "account.cash_withdrawn", {"amount": 10000})
        facts = service.customer_facts(session, customer_id)
        page = service.list_interactions(session, teller, customer_id, PageParams(limit=1))
    assert (facts.id, facts.name, facts.kyc_level, facts.status) == (
        customer_id,
        "张三",
        KycLevel.REGISTERED,
        "active",
    )
    [latest] = page.data
    assert (latest.action, latest.channel, latest.details) == (
        "account.cash_withdrawn",
        "atm",
        {"amount": 10000},
    )
    with db.unit_of_work() as session, pytest.raises(NotFound):
        service.customer_facts(session, "cus_missing")
    # An interaction is queued without a lookup; the foreign key refuses an unknown customer.
    with pytest.raises(IntegrityError), db.unit_of_work() as session:
        service.record_interaction(session, teller, "cus_missing", "account.opened")


@pytest.mark.postgres_only
def test_concurrent_signups_with_one_phone_make_one_customer(client, db) -> None:  # type: ignore[no-untyped-def]
    phone = unique_phone()
    before = counts(db)
    statuses: list[int] = []
    barrier = threading.Barrier(4)

    def sign_up() -> None:
        barrier.wait()
        response = client.post(
            "/v1/signup", json={"phone": phone, "password": PASSWORD, "name": "张三"}, headers=headers()
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=sign_up) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409, 409, 409]
    after = counts(db)
    assert after["customers"] == before["customers"] + 1
    assert after["users"] == before["users"] + 1
