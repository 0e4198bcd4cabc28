"""Public ids: a type prefix and 20 random base-32 characters, never a sequential integer."""

from __future__ import annotations

import os

# Lower-case Crockford base 32 (no i, l, o, u). Each random byte gives one character by its low five
# bits, which are as uniform as the byte: 20 characters carry 100 random bits.
_ALPHABET = b"0123456789abcdefghjkmnpqrstvwxyz"
_BY_LOW_BITS = bytes(_ALPHABET[byte & 31] for byte in range(256))
_LENGTH = 20
_PER_REFILL = 256
_tokens: list[str] = []


def _refill() -> None:
    text = os.urandom(_LENGTH * _PER_REFILL).translate(_BY_LOW_BITS).decode()
    _tokens.extend(text[i : i + _LENGTH] for i in range(0, len(text), _LENGTH))


# A child process must not hand out the tokens its parent may also hand out.
os.register_at_fork(after_in_child=_tokens.clear)


def new_id(prefix: str) -> str:
    """100 random bits from the OS, in lower-case Crockford base 32.

    Every id must stay unpredictable, not only unique: ids are the handles in URLs and some are
    capabilities (a share link's ``shr_…``, a QR payment's ``qrt_…``). So the bits come from
    ``os.urandom``, only read 256 ids at a time (one system call and one C-level translation instead
    of one each per id; a posting makes five). Buffered tokens are as secret as the process's memory,
    which already holds the keys; ``list.pop`` is atomic, so threads never share a token.
    """
    while True:
        try:
            return f"{prefix}_{_tokens.pop()}"
        except IndexError:
            _refill()


def has_prefix(value: str, prefix: str) -> bool:
    return value.startswith(f"{prefix}_")
