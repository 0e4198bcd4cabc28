"""CSRF: every page form carries an HMAC of the browser session and the form's path."""

from __future__ import annotations

from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE
from finlife.kit.db import Database
from finlife.settings import Settings
from finlife.web.csrf import SEED_COOKIE
from tests.factories import PASSWORD, make_user
from tests.web.conftest import csrf_of, sign_in_page


def _post_sign_in(visitor: TestClient, token: str | None, username: str = "x", password: str = "y"):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password}
    if token is not None:
        data["csrf_token"] = token
    return visitor.post("/bank/login", data=data)


def test_a_form_without_a_token_is_refused_with_a_page(visitor: TestClient) -> None:
    visitor.get("/bank/login")
    response = _post_sign_in(visitor, None)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "页面已过期，请刷新后重新提交" in response.text


def test_a_token_is_good_for_one_form_only(visitor: TestClient) -> None:
    merchant_token = csrf_of(visitor.get("/merchant/login").text)
    assert _post_sign_in(visitor, merchant_token).status_code == 403
    bank_token = csrf_of(visitor.get("/bank/login").text)
    assert _post_sign_in(visitor, bank_token).status_code == 400  # past CSRF: a wrong password


def test_a_token_is_good_in_its_own_browser_only(app, visitor: TestClient) -> None:  # type: ignore[no-untyped-def]
    token = csrf_of(visitor.get("/bank/login").text)
    assert visitor.cookies.get(SEED_COOKIE)
    other = TestClient(app, follow_redirects=False)
    other.get("/bank/login")
    assert _post_sign_in(other, token).status_code == 403


def test_signing_in_changes_the_tokens_and_sign_out_needs_one(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    before = csrf_of(visitor.get("/bank/login").text)
    sign_in_page(visitor, "bank", make_user(db, settings), PASSWORD)
    assert visitor.cookies.get(TOKEN_COOKIE)
    home = visitor.get("/bank").text
    assert csrf_of(home) != before  # the forms of a session are bound to its token
    assert visitor.post("/bank/logout", data={"csrf_token": before}).status_code == 403
    assert visitor.post("/bank/logout", data={"csrf_token": csrf_of(home)}).status_code == 303
    assert visitor.get("/bank").status_code == 303
