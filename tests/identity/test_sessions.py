"""Sign out everywhere (POST /v1/me/sessions/revoke-all, /app/me/sessions): every token of the login
issued before stops working on every channel, cookies of the app included; a new sign-in works; other
logins are untouched."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from finlife.identity import sessions
from finlife.identity.models import User
from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.clock import clock
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


def _user_id(db: Database, phone: str) -> str:
    with db.unit_of_work() as session:
        return session.execute(select(User.public_id).where(User.username == phone)).scalar_one()


def test_a_node_that_did_not_end_the_sessions_refuses_the_old_token_once_it_reads_them_again(
    client: TestClient, db: Database, settings: Settings, app: FastAPI
) -> None:
    bank = Bank(client, db, settings)
    me = bank.customer()
    user_id = _user_id(db, me.phone)
    assert _me(client, me.token) == 200
    view = app.state.session_generations
    assert view.current(user_id, 0) is True  # never signed out: the next request asks no query
    with db.unit_of_work() as session:  # as another node would, sharing only the database
        assert sessions.sign_out_everywhere(session, user_id) == 1
    assert _me(client, me.token) == 200  # this node has not read the logins moved since ...
    view.refresh_now()  # ... until its next look
    assert view.current(user_id, 0) is False and view.current(user_id, 1) is True
    assert _me(client, me.token) == 401


def test_a_token_signed_in_again_on_another_node_works_here_at_once(
    client: TestClient, db: Database, settings: Settings, app: FastAPI
) -> None:
    """A node whose view is behind (another node signed the login out again, and in): a token newer
    than the view is checked against the login's row, not refused."""
    bank = Bank(client, db, settings)
    me = bank.customer()
    user_id = _user_id(db, me.phone)
    with db.unit_of_work() as session:
        sessions.sign_out_everywhere(session, user_id)
    here = sessions.SessionGenerations(db, refresh_seconds=600, window_seconds=settings.token_ttl_seconds)
    here.refresh()
    assert here.current(user_id, 1) is True
    with db.unit_of_work() as session:  # on another node
        assert sessions.sign_out_everywhere(session, user_id) == 2
    fresh = sign_in(client, username=me.phone, channel="mobile")
    assert here.current(user_id, 2) is None  # newer than what this node read
    this_node = app.state.session_generations
    app.state.session_generations = here
    try:
        assert _me(client, fresh) == 200
    finally:
        app.state.session_generations = this_node
    assert here.current(user_id, 2) is True and here.current(user_id, 1) is False


def test_a_request_asks_no_query_for_a_login_the_node_has_not_seen(
    client: TestClient, db: Database, settings: Settings, app: FastAPI
) -> None:
    """A flash sale's customers each come once: the check must not cost each of them a query."""
    bank = Bank(client, db, settings)
    people = [bank.customer() for _ in range(3)]
    ids = [_user_id(db, person.phone) for person in people]
    app.state.session_generations.refresh_now()
    asked: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        asked.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        for person in people:
            assert _me(client, person.token) == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert asked  # the requests did read the database (their own answers) ...
    assert not [sql for sql in asked if "session_generation" in sql]  # ... but not the logins
    assert all(app.state.session_generations.current(user_id, 0) for user_id in ids)


def test_the_view_forgets_sign_outs_older_than_a_token_lives(
    client: TestClient, db: Database, settings: Settings, app: FastAPI
) -> None:
    bank = Bank(client, db, settings)
    me = bank.customer()
    user_id = _user_id(db, me.phone)
    with db.unit_of_work() as session:
        sessions.sign_out_everywhere(session, user_id)
    view = app.state.session_generations
    view.refresh_now()
    assert view.current(user_id, 0) is False and user_id in view
    clock.advance(timedelta(seconds=settings.token_ttl_seconds) + 2 * sessions.COMMIT_MARGIN)
    view.refresh_now()
    assert user_id not in view  # every token of generation 0 has expired by now
    assert _me(client, me.token) == 401  # expired, whatever the view


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
