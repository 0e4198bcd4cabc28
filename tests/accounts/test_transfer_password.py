"""The payment password on POST /v1/transfers: a customer paying someone else above the threshold
sends it (the same rule as the app's pages, ``accounts.transfer_password``); wrong tries are counted
even though nothing moves; to one's own account, at the threshold, and for staff nothing is asked."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from finlife.settings import Settings
from tests.accounts.support import CNY, Bank, Person, uuid4
from tests.factories import PASSWORD, headers

PAY_PASSWORD = "258036"


def _with_password(client: TestClient, person: Person) -> None:
    answer = client.put(
        "/v1/me/payment-password",
        json={"new_password": PAY_PASSWORD, "sign_in_password": PASSWORD},
        headers=headers(person.token),
    )
    assert answer.status_code == 204, answer.text


def _pay(
    client: TestClient,
    token: str,
    source: str,
    target: str,
    amount: int,
    key: str | None = None,
    **extra: Any,
) -> httpx.Response:
    body = {"from_account_id": source, "to_account_id": target, "amount": amount, "currency": CNY, **extra}
    return client.post(
        "/v1/transfers", json=body, headers=headers(token, **{"Idempotency-Key": key or uuid4()})
    )


def test_above_the_threshold_to_someone_else_the_password_is_required_and_checked(
    client: TestClient, bank: Bank, settings: Settings
) -> None:
    me, friend = bank.customer(), bank.customer()
    mine = bank.funded(me, 2_000_000)
    theirs = bank.funded(friend, 0)
    above = settings.transfer_password_threshold + 1
    not_set = _pay(client, me.token, mine, theirs, above, payment_password=PAY_PASSWORD)
    assert (not_set.status_code, not_set.json()["code"]) == (422, "payment_password_not_set")
    _with_password(client, me)
    missing = _pay(client, me.token, mine, theirs, above)
    assert (missing.status_code, missing.json()["code"]) == (422, "payment_password_required")
    assert missing.json()["field"] == "payment_password"
    wrong = _pay(client, me.token, mine, theirs, above, payment_password="000001")
    assert (wrong.status_code, wrong.json()["code"]) == (422, "payment_password_wrong")
    assert wrong.json()["tries_left"] == settings.payment_password_tries - 1
    assert bank.balance(theirs) == 0  # nothing moved
    # The wrong try was committed with its refusal: the next one has one try fewer.
    again = _pay(client, me.token, mine, theirs, above, payment_password="000002")
    assert again.json()["tries_left"] == settings.payment_password_tries - 2
    right = _pay(client, me.token, mine, theirs, above, payment_password=PAY_PASSWORD)
    assert right.status_code == 201, right.text
    assert bank.balance(theirs) == above


def test_five_wrong_tries_lock_the_password_for_the_api_and_the_pages_alike(
    client: TestClient, bank: Bank, settings: Settings
) -> None:
    me, friend = bank.customer(), bank.customer()
    mine, theirs = bank.funded(me, 2_000_000), bank.funded(friend, 0)
    _with_password(client, me)
    above = settings.transfer_password_threshold + 100
    for guess in range(settings.payment_password_tries - 1):
        answer = _pay(client, me.token, mine, theirs, above, payment_password=f"90000{guess}")
        assert answer.json()["code"] == "payment_password_wrong"
    locked = _pay(client, me.token, mine, theirs, above, payment_password="900009")
    assert (locked.status_code, locked.json()["code"]) == (423, "payment_password_locked")
    still = _pay(client, me.token, mine, theirs, above, payment_password=PAY_PASSWORD)
    assert (still.status_code, still.json()["code"]) == (423, "payment_password_locked")
    assert bank.balance(theirs) == 0


def test_at_the_threshold_to_ones_own_account_and_for_staff_nothing_is_asked(
    client: TestClient, bank: Bank, settings: Settings
) -> None:
    me, friend = bank.customer(), bank.customer()
    mine, also_mine = bank.funded(me, 3_000_000), bank.funded(me, 0, account_class="II")
    theirs = bank.funded(friend, 0)
    threshold = settings.transfer_password_threshold
    at = _pay(client, me.token, mine, theirs, threshold)
    assert at.status_code == 201, at.text
    own = _pay(client, me.token, mine, also_mine, threshold + 1)
    assert own.status_code == 201, own.text
    # A teller at the branch moves a customer's money under the counter's own checks.
    staff = client.post(
        "/v1/transfers",
        json={"from_account_id": mine, "to_account_id": theirs, "amount": threshold + 1, "currency": CNY},
        headers=headers(bank.teller, channel="branch", **{"Idempotency-Key": uuid4()}),
    )
    assert staff.status_code == 201, staff.text
    assert bank.balance(theirs) == 2 * threshold + 1


def test_to_another_bank_above_the_threshold_asks_too(
    client: TestClient, bank: Bank, settings: Settings
) -> None:
    me = bank.customer()
    mine = bank.funded(me, 2_000_000)
    _with_password(client, me)
    body = {
        "from_account_id": mine,
        "destination": {"bank_code": "102100099996", "account_number": "6222020200112233445", "name": "王五"},
        "amount": settings.transfer_password_threshold + 1,
        "currency": CNY,
    }
    answer = client.post(
        "/v1/transfers", json=body, headers=headers(me.token, **{"Idempotency-Key": uuid4()})
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "payment_password_required")


def test_a_retry_with_the_same_key_answers_the_first_transfer_and_stores_no_plain_hash(
    client: TestClient, bank: Bank, settings: Settings
) -> None:
    me, friend = bank.customer(), bank.customer()
    mine, theirs = bank.funded(me, 2_000_000), bank.funded(friend, 0)
    _with_password(client, me)
    above, key = settings.transfer_password_threshold + 1, uuid4()
    first = _pay(client, me.token, mine, theirs, above, key=key, payment_password=PAY_PASSWORD)
    retry = _pay(client, me.token, mine, theirs, above, key=key, payment_password=PAY_PASSWORD)
    assert first.status_code == retry.status_code == 201
    assert first.json()["id"] == retry.json()["id"]
    assert bank.balance(theirs) == above
