"""Bearer tokens: decoded once per (token, key), yet expiry and the key are checked on every request."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from finlife.kit import auth
from finlife.kit.auth import Channel, ChannelMismatch, Role, issue_token, read_token
from finlife.kit.clock import clock
from finlife.kit.errors import Unauthenticated

SECRET = "token-test-key-0123456789abcdef0123456789abcdef"


def _token(user_id: str, *, ttl: int = 600, channel: Channel = Channel.WEB) -> str:
    return issue_token(
        secret=SECRET,
        ttl_seconds=ttl,
        user_id=user_id,
        username="amy",
        roles=["teller"],
        customer_id=None,
        channel=channel,
    )


def test_a_token_is_decoded_once_and_read_on_its_own_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    token = _token("usr_cached_once", channel=Channel.BRANCH)
    decodes = []
    real_decode = jwt.decode
    monkeypatch.setattr(jwt, "decode", lambda *a, **k: decodes.append(1) or real_decode(*a, **k))

    first = read_token(token, secret=SECRET, channel=Channel.BRANCH)
    second = read_token(token, secret=SECRET)  # X-Channel left out: the token's channel
    with pytest.raises(ChannelMismatch):
        read_token(token, secret=SECRET, channel=Channel.MOBILE)

    assert len(decodes) == 1
    assert (first.user_id, first.username) == ("usr_cached_once", "amy")
    assert first.roles == frozenset({Role.TELLER})
    assert (first.channel, second.channel) == (Channel.BRANCH, Channel.BRANCH)
    assert second.user_id == first.user_id


def test_only_a_device_token_is_for_the_atm() -> None:
    with pytest.raises(ValueError):
        _token("usr_at_the_atm", channel=Channel.ATM)
    device = issue_token(
        secret=SECRET,
        ttl_seconds=600,
        user_id="dev_1",
        username="ATM 1",
        roles=[],
        customer_id=None,
        channel=Channel.ATM,
        device_id="dev_1",
    )
    actor = read_token(device, secret=SECRET)
    assert (actor.channel, actor.device_id, actor.roles) == (Channel.ATM, "dev_1", frozenset())
    # Forged by someone who holds the key, an atm claim without a device is still refused.
    forged = jwt.encode({"sub": "usr_1", "roles": ["customer"], "chn": "atm", "exp": 2**40}, SECRET)
    with pytest.raises(Unauthenticated):
        read_token(forged, secret=SECRET)


def test_a_token_without_a_channel_is_refused() -> None:
    old = jwt.encode({"sub": "usr_old", "roles": ["teller"], "exp": 2**40}, SECRET)
    with pytest.raises(Unauthenticated):
        read_token(old, secret=SECRET)


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
