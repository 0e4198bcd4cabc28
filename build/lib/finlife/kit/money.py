"""Money as integer minor units plus an ISO 4217 code. No float ever touches an amount."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import get_currency_precision

# ISO 4217 numeric codes for the currencies the bank books (EMV QR tag 53 needs them).
NUMERIC_CODES = {"CNY": "156", "HKD": "344", "USD": "840", "EUR": "978", "JPY": "392"}


def minor_unit_exponent(currency: str) -> int:
    return int(get_currency_precision(currency))


def is_known_currency(currency: str) -> bool:
    return currency in NUMERIC_CODES


def to_decimal(amount: int, currency: str) -> Decimal:
    """Minor units → major units, exactly (12345 CNY → Decimal('123.45'))."""
    return Decimal(amount).scaleb(-minor_unit_exponent(currency))


def from_decimal(value: Decimal | str, currency: str) -> int:
    """Major units → minor units; refuses values with more decimals than the currency has."""
    exact = Decimal(value).scaleb(minor_unit_exponent(currency))
    if exact != exact.to_integral_value():
        raise ValueError(f"{value} has more decimals than {currency} allows")
    return int(exact)


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int in minor units")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise ValueError(f"cannot combine {self.currency} with {other.currency}")

    def __str__(self) -> str:
        return f"{to_decimal(self.amount, self.currency)} {self.currency}"
