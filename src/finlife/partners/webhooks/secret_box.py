"""Webhook signing secrets: made here, shown once, kept sealed.

Standard Webhooks signs with a shared (symmetric) secret, so the server must read it back: it is kept
encrypted with Fernet (``cryptography``: AES-128-CBC and HMAC-SHA256) under a key derived from
``FINLIFE_SECRET_KEY`` with HKDF, so a copy of the database alone does not let anyone sign. Changing
the server's secret key makes the stored secrets unreadable: rotate every endpoint's secret then.
"""

from __future__ import annotations

import base64
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes
_KEY_INFO = b"finlife.partners.webhooks.secrets"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


@lru_cache(maxsize=4)  # the key derivation once per server key, not once per delivery
def _fernet(server_secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(
        server_secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, server_secret_key: str) -> str:
    return _fernet(server_secret_key).encrypt(secret.encode()).decode()


def unseal(sealed: str, server_secret_key: str) -> str:
    return _fernet(server_secret_key).decrypt(sealed.encode()).decode()
