"""Keys as partners register them, and cross-checks of the signatures against constructions that do
not go through finlife's code: RFC 9421's own Ed25519 example (Appendix B.2.6), RFC 9530's digest
example, and signature bases written out by hand as RFC 9421 §2.5 lays them down."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.httpsig import (
    PrivateKeyInvalid,
    PublicKeyInvalid,
    SignatureInvalid,
    load_private_key,
    load_public_key,
    public_key_pem,
    public_key_text,
    sign_request,
)
from finlife.kit.httpsig.verify import SignedMessage, verify_signature
from finlife.settings import Settings
from tests.kit import signed_app

# RFC 9421 Appendix B.1.4, the example Ed25519 key "test-key-ed25519".
RFC_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=
-----END PUBLIC KEY-----
"""
RFC_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF
-----END PRIVATE KEY-----
"""
# Appendix B.2.6: the example request (B.2) signed with that key, and the signature the RFC prints.
RFC_SIGNED_FIELDS = {
    "Host": "example.com",
    "Date": "Tue, 20 Apr 2021 02:07:55 GMT",
    "Content-Type": "application/json",
    "Content-Length": "18",
    "Signature-Input": 'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")'
    ';created=1618884473;keyid="test-key-ed25519"',
    "Signature": "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgw"
    "UPiu4A0w6vuQv5lIp5WPpBKRCw==:",
}
RFC_URL = "https://example.com/foo?param=Value&Pet=dog"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_the_rfc_9421_ed25519_example_verifies() -> None:
    verify_signature(SignedMessage("POST", RFC_URL, RFC_SIGNED_FIELDS), load_public_key(RFC_PUBLIC_KEY))


def test_the_rfc_example_altered_does_not_verify() -> None:
    with pytest.raises(SignatureInvalid):
        verify_signature(
            SignedMessage("POST", RFC_URL.replace("/foo", "/bar"), RFC_SIGNED_FIELDS),
            load_public_key(RFC_PUBLIC_KEY),
        )
    other_key = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(SignatureInvalid):
        verify_signature(SignedMessage("POST", RFC_URL, RFC_SIGNED_FIELDS), other_key)


def test_the_rfc_9530_digest_example() -> None:
    headers = sign_request(
        "POST", "https://example.com/foo", b'{"hello": "world"}', load_private_key(RFC_PRIVATE_KEY), "k"
    )
    assert headers["Content-Digest"] == "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"


def hand_signature_base(method: str, url: str, digest: str, params: str) -> bytes:
    """RFC 9421 §2.5, written out: one line per covered component, then ``@signature-params``."""
    lines = [f'"@method": {method}', f'"@target-uri": {url}', f'"content-digest": {digest}']
    return "\n".join([*lines, f'"@signature-params": {params}']).encode()


def test_sign_request_signs_the_base_rfc_9421_lays_down() -> None:
    key = Ed25519PrivateKey.generate()
    url = "https://api.example.com/v1/partner/accounts?class=II"
    body = b'{"name": "Li Lei"}'
    headers = sign_request("post", url, body, key, "cli_1", created=1765022400, nonce="abc-123")
    assert headers["Content-Digest"] == f"sha-256=:{b64(hashlib.sha256(body).digest())}:"
    params = headers["Signature-Input"].removeprefix("sig1=")
    assert (
        params == '("@method" "@target-uri" "content-digest");created=1765022400;keyid="cli_1";alg="ed25519"'
        ';nonce="abc-123"'
    )
    signature = base64.b64decode(headers["Signature"].removeprefix("sig1=:").removesuffix(":"))
    key.public_key().verify(signature, hand_signature_base("POST", url, headers["Content-Digest"], params))


@pytest.fixture
def world(settings: Settings, db: Database) -> Iterator[signed_app.SignedApp]:
    clock.freeze(datetime(2026, 12, 6, 12, 0, tzinfo=UTC))
    built = signed_app.build(settings, db)
    yield built
    assert built.undocumented == []


def test_a_call_signed_by_hand_in_the_profiles_own_words_passes(world) -> None:  # type: ignore[no-untyped-def]
    key = world.register("cli_hand")
    body = json.dumps({"amount": 5}).encode()
    url = signed_app.BASE + "/payments?channel=partner"
    digest = f"sha-256=:{b64(hashlib.sha256(body).digest())}:"
    created = int(clock.now().timestamp())
    # The parameters in the order the issue states them (any order verifies).
    params = (
        f'("@method" "@target-uri" "content-digest");created={created};nonce="n0nce";keyid="cli_hand"'
        ';alg="ed25519"'
    )
    signature = key.sign(hand_signature_base("POST", url, digest, params))
    headers = {
        "Content-Type": "application/json",
        "Content-Digest": digest,
        "Signature-Input": f"sig1={params}",
        "Signature": f"sig1=:{b64(signature)}:",
    }
    response = TestClient(world.app).post("/payments?channel=partner", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["keyid"] == "cli_hand"


def test_public_keys_load_from_pem_and_raw_base64() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    urlsafe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    for text in (public_key_pem(key), public_key_text(key), f"  {b64(raw)}\n", urlsafe):
        assert public_key_text(load_public_key(text)) == b64(raw)
    assert public_key_text(load_public_key(RFC_PUBLIC_KEY)) == "JrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="


def rsa_public_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello",
        b64(b"x" * 31),
        b64(b"x" * 33),
        "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----",
        "密钥",
    ],
    ids=["empty", "junk", "31-bytes", "33-bytes", "broken-pem", "not-ascii"],
)
def test_junk_is_not_a_public_key(text: str) -> None:
    with pytest.raises(PublicKeyInvalid) as refused:
        load_public_key(text)
    assert (refused.value.code, refused.value.status) == ("public_key_invalid", 422)
    assert isinstance(refused.value, ValueError)  # a Pydantic validator may raise it


def test_a_pem_key_of_another_algorithm_is_refused() -> None:
    with pytest.raises(PublicKeyInvalid):
        load_public_key(rsa_public_pem())


def test_private_keys_load_from_pem_and_raw_seed() -> None:
    key = load_private_key(RFC_PRIVATE_KEY)
    seed = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert public_key_text(load_private_key(b64(seed)).public_key()) == public_key_text(key.public_key())
    assert public_key_text(key.public_key()) == public_key_text(load_public_key(RFC_PUBLIC_KEY))
    with pytest.raises(PrivateKeyInvalid):
        load_private_key("not a key")
    with pytest.raises(PrivateKeyInvalid):
        load_private_key(RFC_PUBLIC_KEY.replace("PUBLIC", "PRIVATE"))
