"""The payment password (PUT /v1/me/payment-password): six digits, separate from the sign-in password
and hashed like it; the first proved by the sign-in password, a change by the old one; wrong old ones
count (committed with the refusal) and five in a row lock it for a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.identity.models import PaymentPassword
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import PASSWORD, headers


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


def _put(client: TestClient, token: str, **body: Any) -> httpx.Response:
    return client.put("/v1/me/payment-password", json=body, headers=headers(token))


def test_the_first_is_set_with_the_sign_in_password_and_stored_hashed(
    client: TestClient, db: Database, bank: Bank
) -> None:
    me = bank.customer()
    wrong = _put(client, me.token, new_password="258036", sign_in_password="not-mine")
    assert (wrong.status_code, wrong.json()["code"]) == (422, "sign_in_password_wrong")
    done = _put(client, me.token, new_password="258036", sign_in_password=PASSWORD)
    assert done.status_code == 204 and done.content == b""
    with db.unit_of_work() as session:
        stored = session.execute(select(PaymentPassword.password_hash)).scalar_one()
    assert stored.startswith("$argon2") and "258036" not in stored


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ("12345", "payment_password_format"),
        ("12345a", "payment_password_format"),
        ("１２３４５６", "payment_password_format"),
        ("111111", "payment_password_weak"),
        ("123456", "payment_password_weak"),
        ("987654", "payment_password_weak"),
    ],
)
def test_six_digits_not_all_alike_nor_a_run(client: TestClient, bank: Bank, new: str, code: str) -> None:
    me = bank.customer()
    answer = _put(client, me.token, new_password=new, sign_in_password=PASSWORD)
    assert (answer.status_code, answer.json()["code"]) == (422, code)


def test_a_change_needs_the_old_one_and_five_wrong_lock_it_for_a_day(client: TestClient, bank: Bank) -> None:
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # in the past: logins after the day are valid
    me = bank.customer()
    assert _put(client, me.token, new_password="258036", sign_in_password=PASSWORD).status_code == 204
    # Once set, the sign-in password no longer changes it.
    again = _put(client, me.token, new_password="147025", sign_in_password=PASSWORD)
    assert (again.status_code, again.json()["code"]) == (422, "payment_password_wrong")
    assert again.json()["tries_left"] == 4
    for left in (3, 2, 1):
        wrong = _put(client, me.token, new_password="147025", old_password="000001")
        assert (wrong.status_code, wrong.json()["tries_left"]) == (422, left)
    locked = _put(client, me.token, new_password="147025", old_password="000001")
    assert (locked.status_code, locked.json()["code"]) == (423, "payment_password_locked")
    still = _put(client, me.token, new_password="147025", old_password="258036")
    assert still.status_code == 423  # even the right one waits out the lock
    bank.advance(timedelta(days=1, seconds=1))
    fresh = bank.signed_in_again(me)
    assert _put(client, fresh.token, new_password="147025", old_password="258036").status_code == 204
    assert _put(client, fresh.token, new_password="369258", old_password="147025").status_code == 204


def test_only_customers_have_one(client: TestClient, bank: Bank) -> None:
    assert _put(client, bank.teller, new_password="258036", sign_in_password=PASSWORD).status_code == 403
    assert client.put("/v1/me/payment-password", json={"new_password": "258036"}).status_code == 401
