"""Sign-in throttling (NIST SP 800-63B 5.2.2): growing waits per source and per account, an owner who
still gets in while a stranger guesses, and a failure cap that only a verified unlock lifts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import (
    PASSWORD,
    headers,
    resident_id,
    signup_customer,
    staff_token,
    unique_phone,
    verify_in_person,
)

WRONG = "wrong-password-1"


def attempt(client: TestClient, username: str, password: str) -> httpx.Response:
    return client.post(
        "/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )


@pytest.fixture
def stranger(app: FastAPI) -> Iterator[TestClient]:
    """Another source: requests that come from 203.0.113.66."""
    with TestClient(app, client=("203.0.113.66", 40000)) as other:
        yield other


@pytest.fixture
def capped_at_six(app: FastAPI, settings: Settings) -> Iterator[None]:
    """The app with a failure cap of six (the default is a hundred), for this test only."""
    app.state.settings = settings.model_copy(update={"login_failure_cap": 6})
    try:
        yield
    finally:
        app.state.settings = settings


@pytest.fixture
def owner_phone(client: TestClient) -> str:
    phone = unique_phone()
    signup_customer(client, phone=phone)
    return phone


def throttled(response: httpx.Response, seconds: int) -> bool:
    body = response.json()
    return (
        response.status_code == 429
        and response.headers["retry-after"] == str(seconds)
        and response.headers["content-type"].startswith("application/problem+json")
        and body["code"] == "sign_in_throttled"
        and body["retry_after"] == seconds
    )


def test_a_failing_source_waits_twice_as_long_after_each_failure(
    stranger: TestClient, owner_phone: str, settings: Settings
) -> None:
    clock.freeze(clock.now())
    for _ in range(settings.login_free_failures):
        assert attempt(stranger, owner_phone, WRONG).status_code == 401  # free: no wait
    assert attempt(stranger, owner_phone, WRONG).status_code == 401
    assert throttled(attempt(stranger, owner_phone, PASSWORD), 1)  # not even the right one is tried
    clock.advance(timedelta(seconds=1))
    assert attempt(stranger, owner_phone, WRONG).status_code == 401
    assert throttled(attempt(stranger, owner_phone, WRONG), 2)
    clock.advance(timedelta(seconds=1))
    assert throttled(attempt(stranger, owner_phone, WRONG), 1)
    clock.advance(timedelta(seconds=1))
    assert attempt(stranger, owner_phone, WRONG).status_code == 401
    assert throttled(attempt(stranger, owner_phone, WRONG), 4)


def test_a_source_that_guesses_many_accounts_is_slowed_down_too(
    stranger: TestClient, client: TestClient, settings: Settings
) -> None:
    clock.freeze(clock.now())
    phones = [unique_phone() for _ in range(settings.login_free_failures + 1)]
    for phone in phones:
        signup_customer(client, phone=phone)
        assert attempt(stranger, phone, WRONG).status_code == 401  # one guess each
    assert throttled(attempt(stranger, unique_phone(), WRONG), 1)  # even a name nobody has


def test_the_owner_signs_in_while_a_stranger_guesses_their_password(
    app: FastAPI, client: TestClient, stranger: TestClient, owner_phone: str, settings: Settings
) -> None:
    clock.freeze(clock.now())
    for _ in range(settings.login_free_failures + 3):
        clock.advance(timedelta(seconds=8))  # the stranger waits out their own source's delay
        assert attempt(stranger, owner_phone, WRONG).status_code == 401
    # The account is now waiting for failing sources: another failing source is held back …
    with TestClient(app, client=("198.51.100.9", 40000)) as accomplice:
        assert attempt(accomplice, unique_phone(), WRONG).status_code == 401  # now it has failed
        assert throttled(attempt(accomplice, owner_phone, PASSWORD), 4)
    # … but the owner's phone, which has not been failing, gets in at once with the right password.
    assert attempt(client, owner_phone, PASSWORD).status_code == 200
    # Their success is the account's fresh start: the stranger's next guess costs the account nothing.
    clock.advance(timedelta(seconds=16))
    assert attempt(stranger, owner_phone, WRONG).status_code == 401


def test_the_failure_cap_freezes_the_account_until_a_teller_unlocks_it_at_the_branch(
    app: FastAPI, client: TestClient, db: Database, settings: Settings, capped_at_six: None
) -> None:
    phone, id_number = unique_phone(), resident_id()
    customer_id, _ = signup_customer(client, phone=phone, name="李雷")
    verify_in_person(client, db, settings, customer_id, name="李雷", id_number=id_number)
    for n in range(6):  # six sources, one guess each: no source waits, but the account counts them
        with TestClient(app, client=(f"192.0.2.{n + 1}", 40000)) as botnet:
            assert attempt(botnet, phone, WRONG).status_code == 401
    frozen = attempt(client, phone, PASSWORD)
    assert (frozen.status_code, frozen.json()["code"]) == (423, "sign_in_frozen")

    unlock = f"/v1/customers/{customer_id}/sign-in-unlock"
    teller = staff_token(client, db, settings, Role.TELLER)
    wrong_id = client.post(
        unlock, json={"id_number": resident_id()}, headers=headers(teller, channel="branch")
    )
    assert (wrong_id.status_code, wrong_id.json()["code"]) == (409, "id_number_mismatch")
    at_home = staff_token(client, db, settings, Role.TELLER, channel="web")  # the same job, off the branch
    remote = client.post(unlock, json={"id_number": id_number}, headers=headers(at_home))
    assert (remote.status_code, remote.json()["code"]) == (403, "channel_not_allowed")
    marketing = staff_token(client, db, settings, Role.BRANCH_MARKETING)
    refused = client.post(unlock, json={"id_number": id_number}, headers=headers(marketing))
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    assert attempt(client, phone, PASSWORD).status_code == 423  # still frozen after all that

    unlocked = client.post(unlock, json={"id_number": id_number}, headers=headers(teller, channel="branch"))
    assert unlocked.status_code == 204
    assert attempt(client, phone, PASSWORD).status_code == 200


def test_throttling_lives_in_the_database_that_every_node_shares(
    app: FastAPI, stranger: TestClient, owner_phone: str, settings: Settings
) -> None:
    clock.freeze(clock.now())
    for _ in range(settings.login_free_failures + 1):
        attempt(stranger, owner_phone, WRONG)
    from finlife.app import create_app  # a second node on the same database

    with TestClient(create_app(settings), client=("203.0.113.66", 40000)) as second_node:
        assert throttled(attempt(second_node, owner_phone, PASSWORD), 1)
