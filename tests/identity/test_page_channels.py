"""The three web apps sign in through their own pages, and their session cookies are bound to the
shell's channel: the customer app to mobile, the merchant console to web (owners) or pos (cashiers),
the bank console to branch (tellers, admins) or web (marketing)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from finlife.kit.auth import TOKEN_COOKIE, Role, read_token
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.factories import PASSWORD, make_user
from tests.web.conftest import csrf_of


def _sign_in(app: FastAPI, shell: str, username: str):  # type: ignore[no-untyped-def]
    visitor = TestClient(app, follow_redirects=False)
    form = visitor.get(f"/{shell}/login")
    data = {"username": username, "password": PASSWORD, "csrf_token": csrf_of(form.text)}
    return visitor, visitor.post(f"/{shell}/login", data=data)


@pytest.mark.parametrize(
    ("shell", "role", "channel"),
    [
        ("app", Role.CUSTOMER, "mobile"),
        ("merchant", Role.MERCHANT_OWNER, "web"),
        ("merchant", Role.CASHIER, "pos"),
        ("bank", Role.TELLER, "branch"),
        ("bank", Role.BANK_ADMIN, "branch"),
        ("bank", Role.BRANCH_MARKETING, "web"),
        ("bank", Role.HQ_MARKETING, "web"),
    ],
)
def test_a_shells_session_is_bound_to_its_channel(  # type: ignore[no-untyped-def]
    app, db: Database, settings: Settings, shell: str, role: Role, channel: str
) -> None:
    visitor, response = _sign_in(app, shell, make_user(db, settings, roles=(role,)))
    assert response.status_code == 303, response.text
    actor = read_token(visitor.cookies[TOKEN_COOKIE], secret=settings.secret_key)
    assert actor.channel.value == channel
    assert visitor.get(f"/{shell}").status_code == 200


@pytest.mark.parametrize(
    ("shell", "role"), [("app", Role.TELLER), ("app", Role.CASHIER), ("app", Role.HQ_MARKETING)]
)
def test_a_login_whose_roles_have_none_of_the_shells_channels_is_refused(  # type: ignore[no-untyped-def]
    app, db: Database, settings: Settings, shell: str, role: Role
) -> None:
    visitor, response = _sign_in(app, shell, make_user(db, settings, roles=(role,)))
    assert response.status_code == 403
    assert "该账号不能在此渠道登录" in response.text
    assert visitor.cookies.get(TOKEN_COOKIE) is None
