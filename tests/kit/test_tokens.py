"""Bearer tokens: decoded once per (token, key), yet expiry and the key are checked on every request."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from finlife.kit import auth
from finlife.kit.auth import Channel, Role, issue_token, read_token
from finlife.kit.clock import clock
from finlife.kit.errors import Unauthenticated

SECRET = "token-test-key-0123456789abcdef0123456789abcdef"


def _token(user_id: str, *, ttl: int = 600) -> str:
    return issue_token(
        secret=SECRET, ttl_seconds=ttl, user_id=user_id, username="amy", roles=["teller"], customer_id=None
    )


def test_a_token_is_decoded_once_and_read_with_each_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    token = _token("usr_cached_once")
    decodes = []
    real_decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decodes.append(1) or real_decode(*a, **k))

    first = read_token(token, secret=SECRET, channel=Channel.BRANCH)
    second = read_token(token, secret=SECRET, channel=Channel.MOBILE)

    assert len(decodes) == 1
    assert (first.user_id, first.username) == ("usr_cached_once", "amy")
    assert first.roles == frozenset({Role.TELLER})
    assert (first.channel, second.channel) == (Channel.BRANCH, Channel.MOBILE)
    assert second.user_id == first.user_id


def test_a_cached_token_still_expires() -> None:
    token = _token("usr_cached_expiry", ttl=60)
    assert read_token(token, secret=SECRET, channel=Channel.WEB).user_id == "usr_cached_expiry"
    clock.advance(timedelta(seconds=61))
    try:
        with pytest.raises(Unauthenticated):
            read_token(token, secret=SECRET, channel=Channel.WEB)
    finally:
        clock.reset()


def test_a_cached_token_is_refused_under_another_key() -> None:
    token = _token("usr_cached_key")
    read_token(token, secret=SECRET, channel=Channel.WEB)
    with pytest.raises(Unauthenticated):
        read_token(token, secret=SECRET[::-1], channel=Channel.WEB)


def test_a_refused_token_is_not_remembered() -> None:
    token = _token("usr_tampered")
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    before = auth._verified_claims.cache_info().currsize
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            read_token(forged, secret=SECRET, channel=Channel.WEB)
    assert auth._verified_claims.cache_info().currsize == before
