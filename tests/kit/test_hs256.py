"""kit.hs256 reads finlife's tokens as PyJWT's decode does, and refuses every token PyJWT refuses."""

from __future__ import annotations

import base64
import json
import random
from typing import Any

import jwt
import pytest

from finlife.kit import hs256
from finlife.kit.auth import Channel, issue_token

KEY = "test-key-" + "0123456789abcdef" * 4


def _token(**extra: Any) -> str:
    return issue_token(
        secret=KEY,
        ttl_seconds=900,
        user_id="usr_1",
        username="张三",
        roles=["customer"],
        customer_id="cus_1",
        channel=Channel.MOBILE,
        session_generation=3,
        **extra,
    )


def _pyjwt(token: str, key: str = KEY) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})
    return decoded


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_token_finlife_issued_reads_as_pyjwt_reads_it() -> None:
    for token in (_token(), _token(device_id=None)):
        assert hs256.verify(token, KEY) == _pyjwt(token)
        assert hs256.verify(token, KEY)["name"] == "张三"


def _signed(header: dict[str, Any], payload: bytes, key: str = KEY) -> str:
    """A token signed with ``key`` over any header and payload bytes (what only a key holder makes)."""
    head = _b64(json.dumps(header).encode())
    body = _b64(payload)
    signature = jwt.get_algorithm_by_name("HS256").sign(f"{head}.{body}".encode(), key.encode())
    return f"{head}.{body}.{_b64(signature)}"


def _refused_by_both(token: str, key: str = KEY) -> None:
    with pytest.raises(hs256.InvalidToken):
        hs256.verify(token, key)
    with pytest.raises(jwt.PyJWTError):
        _pyjwt(token, key)


def test_forged_altered_and_malformed_tokens_are_refused_as_pyjwt_refuses_them() -> None:
    token = _token()
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    raised = _b64(json.dumps({**claims, "roles": ["bank_admin"]}).encode())
    cases = [
        f"{header}.{raised}.{signature}",  # claims changed, signature kept
        f"{header}.{payload}.{signature[:-2]}AA",  # signature changed
        f"{header}.{payload}.",  # no signature
        f"{header}.{payload}",  # two segments
        f"{token}.{signature}",  # four
        "",
        "not a token",
        f"{header}.{payload}.{signature}!",
        f"{header}.{payload}.{signature[:-1]}é",
        jwt.encode(claims, "another-key-" + "0123456789abcdef" * 4, algorithm="HS256"),
        jwt.encode(claims, KEY, algorithm="HS512"),  # the right key, another algorithm
        jwt.encode(claims, "", algorithm="none"),
        _signed({"alg": "none", "typ": "JWT"}, json.dumps(claims).encode()),
        _signed({"alg": "HS256", "crit": ["exp"]}, json.dumps(claims).encode()),
        _signed({"alg": "HS256"}, b"[1, 2]"),  # a payload that is no object
        _signed({"alg": "HS256"}, b"\xff\xfe"),  # nor JSON
        _signed(["HS256"], json.dumps(claims).encode()),  # type: ignore[arg-type]  # a header that is no object
    ]
    for case in cases:
        _refused_by_both(case)


def test_any_one_character_changed_is_refused() -> None:
    token = _token()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.="
    rng = random.Random(20261207)
    for _ in range(300):
        at = rng.randrange(len(token))
        changed = token[:at] + rng.choice(alphabet.replace(token[at], "")) + token[at + 1 :]
        try:
            accepted = _pyjwt(changed)
        except jwt.PyJWTError:
            with pytest.raises(hs256.InvalidToken):
                hs256.verify(changed, KEY)
            continue
        # Base64's last character carries spare bits: a change there may decode to the same bytes.
        assert hs256.verify(changed, KEY) == accepted
