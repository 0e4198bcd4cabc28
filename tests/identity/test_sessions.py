"""Sign out everywhere (POST /v1/me/sessions/revoke-all, /app/me/sessions): every token of the login
issued before stops working on every channel, cookies of the app included; a new sign-in works; other
logins are untouched."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.identity import sessions
from finlife.identity.models import User
from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.factories import PASSWORD, headers, sign_in
from tests.web.conftest import csrf_of


def _me(client: TestClient, token: str) -> int:
    return client.get("/v1/me", headers=headers(token)).status_code


def test_every_token_of_the_login_ends_and_a_new_sign_in_works(
    client: TestClient, db: Database, settings: Settings
) -> None:
    bank = Bank(client, db, settings)
    me, someone_else = bank.customer(), bank.customer()
    on_web = sign_in(client, username=me.phone, channel="web")
    on_mobile = sign_in(client, username=me.phone, channel="mobile")
    assert (_me(client, me.token), _me(client, on_web), _me(client, on_mobile)) == (200, 200, 200)
    ended = client.post("/v1/me/sessions/revoke-all", headers=headers(on_mobile))
    assert ended.status_code == 204 and ended.content == b""
    for old in (me.token, on_web, on_mobile):
        answer = client.get("/v1/me", headers=headers(old))
        assert (answer.status_code, answer.json()["code"]) == (401, "unauthenticated")
    assert client.post("/v1/me/sessions/revoke-all", headers=headers(on_web)).status_code == 401
    assert _me(client, someone_else.token) == 200  # another login is untouched
    fresh = sign_in(client, username=me.phone, channel="mobile")
    assert _me(client, fresh) == 200
    # A second time ends the fresh one too, and a third sign-in works again.
    assert client.post("/v1/me/sessions/revoke-all", headers=headers(fresh)).status_code == 204
    assert _me(client, fresh) == 401
    assert _me(client, sign_in(client, username=me.phone, channel="web")) == 200


def test_a_node_that_did_not_end_the_sessions_refuses_the_old_token_once_its_memory_expires(
    client: TestClient, db: Database, settings: Settings, app: FastAPI
) -> None:
    bank = Bank(client, db, settings)
    me = bank.customer()
    with db.unit_of_work() as session:
        user_id = session.execute(select(User.public_id).where(User.username == me.phone)).scalar_one()
    assert _me(client, me.token) == 200
    memory = app.state.session_generations
    assert memory.cached(user_id) == 0  # remembered: the next request asks no query
    with db.unit_of_work() as session:  # as another node would, sharing only the database
        assert sessions.sign_out_everywhere(session, user_id) == 1
    assert _me(client, me.token) == 200  # this node still remembers generation 0 ...
    memory.remember(user_id, memory.load(user_id))  # ... until it reads the login again
    assert _me(client, me.token) == 401


def test_the_app_page_signs_out_everywhere_after_a_confirmation(
    app: FastAPI, client: TestClient, db: Database, settings: Settings
) -> None:
    bank = Bank(client, db, settings)
    me = bank.customer()
    phone = TestClient(app, follow_redirects=False)
    form = phone.get("/app/login")
    signed = phone.post(
        "/app/login", data={"username": me.phone, "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    )
    assert signed.status_code == 303
    old_cookie = phone.cookies[TOKEN_COOKIE]
    page = phone.get("/app/me/sessions")
    assert page.status_code == 200 and "退出所有设备" in page.text
    done = phone.post("/app/me/sessions", data={"csrf_token": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"].startswith("/app/login")
    assert _me(client, me.token) == 401  # the API token of the same login ended too
    stale = TestClient(app, follow_redirects=False, cookies={TOKEN_COOKIE: old_cookie})
    assert stale.get("/app/me").headers["location"].startswith("/app/login")
