"""Account numbers and card PANs (prefix + random digits + Luhn check digit), and the PAN's HMAC."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from stdnum import luhn

ACCOUNT_NUMBER_LENGTH = 19
PAN_LENGTH = 19


def with_check_digit(prefix: str, length: int) -> str:
    """``prefix`` + random digits + the Luhn check digit, ``length`` digits in all."""
    body = prefix + "".join(str(secrets.randbelow(10)) for _ in range(length - len(prefix) - 1))
    check: str = luhn.calc_check_digit(body)
    return body + check


def is_valid_number(number: str) -> bool:
    return number.isdigit() and bool(luhn.is_valid(number))


def mask_other_bank_number(number: str) -> str:
    """An account at another bank, shown as its last four digits only."""
    return "**** " + number[-4:] if len(number) > 4 else "****"


def pan_digest(pan: str, secret_key: str) -> str:
    """HMAC-SHA256 of the PAN: finds a card by its number without storing the number."""
    return hmac.new(secret_key.encode(), b"pan:" + pan.encode(), hashlib.sha256).hexdigest()


def expiry_digest(pan: str, expiry: str, secret_key: str) -> str:
    """HMAC-SHA256 over PAN and expiry: checks a presented expiry without storing it."""
    return hmac.new(secret_key.encode(), f"exp:{pan}:{expiry}".encode(), hashlib.sha256).hexdigest()
