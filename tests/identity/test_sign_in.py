from __future__ import annotations

from datetime import timedelta

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from tests.factories import PASSWORD, headers, make_user, sign_in


def _token_request(client, username, password):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": username, "password": password},
    )


def test_password_grant_returns_a_bearer_token(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    username = make_user(db, settings, roles=(Role.TELLER,))
    response = _token_request(client, username, PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == settings.token_ttl_seconds
    assert body["access_token"].count(".") == 2


def test_wrong_password_is_a_401_problem(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    username = make_user(db, settings)
    response = _token_request(client, username, "not-the-password")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["detail"] == "用户名或密码错误"


def test_english_messages_follow_accept_language(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": "nobody", "password": "whatever1"},
        headers={"Accept-Language": "en-GB,en;q=0.9"},
    )
    assert response.json()["detail"] == "Wrong username or password"


def test_a_stale_token_does_not_block_a_public_route(client, db, settings) -> None:  # type: ignore[no-untyped-def]
    token = sign_in(client, username=make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    clock.advance(timedelta(seconds=settings.token_ttl_seconds + 1))
    response = client.get("/healthz", headers=headers(token))
    assert response.status_code == 200  # public route ignores the token's age
