"""Public ids: a type prefix and 20 random base-32 characters, never a sequential integer."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base 32, lower case


def new_id(prefix: str) -> str:
    return f"{prefix}_" + "".join(secrets.choice(_ALPHABET) for _ in range(20))


def has_prefix(value: str, prefix: str) -> bool:
    return value.startswith(f"{prefix}_")
