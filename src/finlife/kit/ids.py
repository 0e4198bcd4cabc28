"""Public ids: a type prefix and 20 random base-32 characters, never a sequential integer."""

from __future__ import annotations

import base64
import os

_TO_CROCKFORD = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", b"0123456789abcdefghjkmnpqrstvwxyz")


def new_id(prefix: str) -> str:
    """100 random bits from the OS, in lower-case Crockford base 32 (no i, l, o, u)."""
    # One urandom call and a table translation: ids are made on every posting, so this is hot.
    token = base64.b32encode(os.urandom(15)).translate(_TO_CROCKFORD)[:20].decode()
    return f"{prefix}_{token}"


def has_prefix(value: str, prefix: str) -> bool:
    return value.startswith(f"{prefix}_")
