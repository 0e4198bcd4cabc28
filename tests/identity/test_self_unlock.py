"""The owner unlocks their own frozen login with a code texted to the phone on their customer record
(``customers.self_unlock``): asking tells nothing and is throttled per source; a code is six digits
kept as an HMAC, lives five minutes, takes five wrong tries and is used once. Also the customer
app's pages, from the sign-in page's 423 to signing in again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.identity import sms
from finlife.identity.one_time_codes import OneTimeCode
from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import PASSWORD, make_user, signup_customer, unique_phone
from tests.web.forms import hidden_fields

WRONG = "wrong-password-1"
NEW = "a-new-password-7"


def _token(client: TestClient, username: str, password: str) -> httpx.Response:
    body = {"grant_type": "password", "username": username, "password": password}
    return client.post("/v1/auth/token", data=body)


@pytest.fixture
def capped(app: FastAPI, settings: Settings) -> Iterator[Settings]:
    """The app with a failure cap of three (the default is a hundred), for this test only."""
    capped = settings.model_copy(update={"login_failure_cap": 3})
    app.state.settings = capped
    try:
        yield capped
    finally:
        app.state.settings = settings


def _freeze(app: FastAPI, username: str) -> None:
    for n in range(3):  # three sources, one guess each: the account counts them
        with TestClient(app, client=(f"192.0.2.{n + 1}", 40000)) as botnet:
            assert _token(botnet, username, WRONG).status_code == 401


@pytest.fixture
def frozen_owner(app: FastAPI, client: TestClient, capped: Settings) -> str:
    phone = unique_phone()
    signup_customer(client, phone=phone, name="韩梅梅")
    _freeze(app, phone)
    assert _token(client, phone, PASSWORD).status_code == 423
    return phone


def _inbox(db: Database, phone: str) -> list[str]:
    with db.unit_of_work() as session:
        return sms.messages_to(session, phone)


def _code_in(message: str) -> str:
    found = re.search(r"验证码为 (\d{6})，5 分钟内有效", message)
    assert found, message
    return found.group(1)


def _ask(client: TestClient, username: str) -> httpx.Response:
    return client.post("/v1/auth/unlock-requests", json={"username": username})


def _unlock(client: TestClient, username: str, code: str, new_password: str | None = None) -> httpx.Response:
    body = {"username": username, "code": code} | ({"new_password": new_password} if new_password else {})
    return client.post("/v1/auth/unlock", json=body)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_owner_unlocks_with_the_code_texted_to_their_phone_and_sets_a_new_password(
    client: TestClient, db: Database, frozen_owner: str
) -> None:
    asked = _ask(client, frozen_owner)
    assert (asked.status_code, asked.content) == (202, b"")
    [message] = _inbox(db, frozen_owner)
    code = _code_in(message)
    with db.unit_of_work() as session:  # kept as an HMAC only
        assert code not in session.execute(select(OneTimeCode.code_digest)).scalar_one()
    refused = _unlock(client, frozen_owner, _wrong(code))
    assert (refused.status_code, refused.json()["code"]) == (422, "one_time_code_invalid")
    assert _token(client, frozen_owner, PASSWORD).status_code == 423

    assert _unlock(client, frozen_owner, code, NEW).status_code == 204
    assert _token(client, frozen_owner, PASSWORD).status_code == 401
    assert _token(client, frozen_owner, NEW).status_code == 200
    again = _unlock(client, frozen_owner, code)  # used once
    assert (again.status_code, again.json()["code"]) == (422, "one_time_code_invalid")


def test_asking_tells_nothing_and_texts_only_a_customers_frozen_login(
    client: TestClient, db: Database, settings: Settings, capped: Settings, app: FastAPI
) -> None:
    not_frozen = unique_phone()
    signup_customer(client, phone=not_frozen)
    staff = make_user(db, settings, roles=(Role.TELLER,))
    _freeze(app, staff)  # frozen, but nobody's customer record holds a phone for it
    for username in (unique_phone(), not_frozen, staff):
        asked = _ask(client, username)
        assert (asked.status_code, asked.content) == (202, b"")
    with db.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(sms.SmsMessage)).scalar_one() == 0
    refused = _unlock(client, not_frozen, "123456")
    assert (refused.status_code, refused.json()["code"]) == (422, "one_time_code_invalid")


def test_five_wrong_tries_spend_the_code_and_a_new_request_replaces_it(
    client: TestClient, db: Database, frozen_owner: str
) -> None:
    clock.freeze(clock.now())
    _ask(client, frozen_owner)
    code = _code_in(_inbox(db, frozen_owner)[-1])
    for _ in range(5):
        assert _unlock(client, frozen_owner, _wrong(code)).status_code == 422
    spent = _unlock(client, frozen_owner, code)
    assert (spent.status_code, spent.json()["code"]) == (422, "one_time_code_invalid")
    _ask(client, frozen_owner)
    fresh = _code_in(_inbox(db, frozen_owner)[-1])
    assert len(_inbox(db, frozen_owner)) == 2
    # Six wrong codes from this source: it waits, as a source guessing passwords does.
    held = _unlock(client, frozen_owner, fresh)
    assert (held.status_code, held.json()["code"], held.headers["retry-after"]) == (
        429,
        "sign_in_throttled",
        "1",
    )
    clock.advance(timedelta(seconds=1))
    assert _unlock(client, frozen_owner, fresh).status_code == 204
    assert _token(client, frozen_owner, PASSWORD).status_code == 200


def test_a_code_lives_five_minutes_and_a_weak_new_password_spends_nothing(
    client: TestClient, db: Database, frozen_owner: str
) -> None:
    clock.freeze(clock.now())
    _ask(client, frozen_owner)
    code = _code_in(_inbox(db, frozen_owner)[-1])
    weak = _unlock(client, frozen_owner, code, "short")
    assert (weak.status_code, weak.json()["code"], weak.json()["field"]) == (
        422,
        "weak_password",
        "new_password",
    )
    clock.advance(timedelta(seconds=299))
    assert _unlock(client, frozen_owner, code).status_code == 204
    _freeze_again = _ask(client, frozen_owner)  # not frozen any more: nothing is sent
    assert _freeze_again.status_code == 202 and len(_inbox(db, frozen_owner)) == 1


def test_an_expired_code_is_refused(client: TestClient, db: Database, frozen_owner: str) -> None:
    clock.freeze(clock.now())
    _ask(client, frozen_owner)
    code = _code_in(_inbox(db, frozen_owner)[-1])
    clock.advance(timedelta(seconds=300))
    expired = _unlock(client, frozen_owner, code)
    assert (expired.status_code, expired.json()["code"]) == (422, "one_time_code_invalid")


def test_asking_is_throttled_per_source(app: FastAPI, client: TestClient, settings: Settings) -> None:
    clock.freeze(clock.now())
    with TestClient(app, client=("203.0.113.77", 40000)) as pest:
        for _ in range(settings.login_free_failures + 1):
            assert _ask(pest, unique_phone()).status_code == 202
        throttled = _ask(pest, unique_phone())
        assert (throttled.status_code, throttled.json()["code"]) == (429, "sign_in_throttled")
        assert throttled.headers["retry-after"] == "1"
    assert _ask(client, unique_phone()).status_code == 202  # another source is not held back


def test_the_sign_in_page_offers_the_unlock_and_the_pages_unlock_the_login(
    app: FastAPI, db: Database, frozen_owner: str
) -> None:
    browser = TestClient(app, follow_redirects=False)
    login = browser.get("/app/login")
    fields = hidden_fields(login.text, "/app/login")
    refused = browser.post("/app/login", data={**fields, "username": frozen_owner, "password": PASSWORD})
    assert refused.status_code == 423
    offer = f'<a href="/app/unlock?username={frozen_owner}">用发送到您手机的验证码解锁</a>'
    assert offer in refused.text
    browser.cookies.set("lang", "en")
    english = browser.post("/app/login", data={**fields, "username": frozen_owner, "password": PASSWORD})
    assert "Unlock with a code sent to your phone</a>" in english.text
    browser.cookies.set("lang", "zh-CN")

    form = browser.get(f"/app/unlock?username={frozen_owner}")
    assert form.status_code == 200 and f'value="{frozen_owner}"' in form.text
    sent = browser.post(
        "/app/unlock", data={**hidden_fields(form.text, "/app/unlock"), "username": frozen_owner}
    )
    assert sent.status_code == 200 and "data-unlock-sent" in sent.text
    code = _code_in(_inbox(db, frozen_owner)[-1])
    fields = hidden_fields(sent.text, "/app/unlock/code")
    assert fields["username"] == frozen_owner
    wrong = browser.post("/app/unlock/code", data={**fields, "code": _wrong(code)})
    assert wrong.status_code == 422 and "验证码不正确或已失效，请重新获取" in wrong.text
    done = browser.post("/app/unlock/code", data={**fields, "code": code, "new_password": NEW})
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/app/login?username={frozen_owner}")
    assert _token(browser, frozen_owner, NEW).status_code == 200
