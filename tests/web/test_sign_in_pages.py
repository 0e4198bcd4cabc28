"""Sign-in pages: refusals inline from the catalogue, lockout, the session cookie, where to go next."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import PASSWORD, make_user
from tests.web.conftest import csrf_of


def _attempt(visitor: TestClient, shell: str, username: str, password: str, next: str = ""):  # type: ignore[no-untyped-def]
    token = csrf_of(visitor.get(f"/{shell}/login").text)
    data = {"username": username, "password": password, "next": next, "csrf_token": token}
    return visitor.post(f"/{shell}/login", data=data)


def test_a_wrong_password_is_shown_in_the_form_and_the_username_kept(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    username = make_user(db, settings)
    response = _attempt(visitor, "bank", username, "wrong-password")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.text
    assert f'value="{username}"' in response.text
    assert "wrong-password" not in response.text


def test_repeated_failures_slow_the_source_down_and_the_page_says_for_how_long(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    clock.freeze(clock.now())
    username = make_user(db, settings)
    for _ in range(settings.login_free_failures + 1):
        assert _attempt(visitor, "bank", username, "wrong-password").status_code == 400
    throttled = _attempt(visitor, "bank", username, PASSWORD)
    assert throttled.status_code == 429
    assert "登录尝试过于频繁，请1秒后再试" in throttled.text
    clock.advance(timedelta(seconds=1))
    assert _attempt(visitor, "bank", username, PASSWORD).status_code == 303


def test_signing_in_sets_an_http_only_lax_cookie_and_follows_next(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    username = make_user(db, settings, roles=(Role.BANK_ADMIN,))
    response = _attempt(visitor, "bank", username, PASSWORD, next="/bank/customers?q=li")
    assert response.status_code == 303
    assert response.headers["location"] == "/bank/customers?q=li"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("finlife_token=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def test_next_never_leaves_the_shell(visitor: TestClient, db: Database, settings: Settings) -> None:
    username = make_user(db, settings, roles=(Role.CASHIER,))
    for target in ("/bank", "https://evil.example/", "//evil.example"):
        response = _attempt(visitor, "merchant", username, PASSWORD, next=target)
        assert response.headers["location"] == "/merchant"


def test_signing_out_clears_the_cookie_and_says_so_once(
    visitor: TestClient, db: Database, settings: Settings
) -> None:
    username = make_user(db, settings, roles=(Role.CASHIER,))
    _attempt(visitor, "merchant", username, PASSWORD)
    home = visitor.get("/merchant")
    assert home.status_code == 200
    assert "门店尚未开通" in home.text
    response = visitor.post("/merchant/logout", data={"csrf_token": csrf_of(home.text)})
    assert response.status_code == 303
    assert response.headers["location"] == "/merchant/login"
    assert visitor.cookies.get("finlife_token") is None
    assert "您已安全退出" in visitor.get("/merchant/login").text
    assert "您已安全退出" not in visitor.get("/merchant/login").text
