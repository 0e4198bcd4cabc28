"""The typed model of a merchant-presented EMVCo QR code, and the rules a valid one obeys.

The model validates itself on construction, so ``encode`` and ``decode`` share one set of rules:
a model that exists can always be encoded, and a payload decodes only into a model that exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from finlife.kit.emvqr.tlv import InvalidQrPayload, data_object, is_digits, template
from finlife.kit.money import NUMERIC_CODES, from_decimal, to_decimal

PointOfInitiation = Literal["static", "dynamic"]
TipIndicator = Literal["prompt", "fixed", "percentage"]
# IDs 02–25 hold a primitive account value (card scheme ids); 26–51 hold a template whose sub-ID 00
# is the network's globally unique id and 01… its own data.
MerchantAccount = str | Mapping[str, str]

POINT_OF_INITIATION_CODES: dict[PointOfInitiation, str] = {"static": "11", "dynamic": "12"}
TIP_CODES: dict[TipIndicator, str] = {"prompt": "01", "fixed": "02", "percentage": "03"}
# Sub-IDs of template 62 (additional data), by name, for callers that build one.
ADDITIONAL_DATA_IDS = {
    "bill_number": "01",
    "mobile_number": "02",
    "store_label": "03",
    "loyalty_number": "04",
    "reference_label": "05",
    "customer_label": "06",
    "terminal_label": "07",
    "purpose": "08",
    "consumer_data_request": "09",
}
FIRST_TEMPLATE_ACCOUNT = 26
MAX_PAYLOAD_LENGTH = 512
MAX_AMOUNT_LENGTH = 13
_ENVELOPE_LENGTH = len("000201") + len("6304ABCD")
_ALPHA_BY_NUMERIC = {numeric: alpha for alpha, numeric in NUMERIC_CODES.items()}
_AMOUNT_TEXT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_PERCENTAGE_TEXT = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,2})?")


def _check(condition: bool, reason: str) -> None:
    if not condition:
        raise InvalidQrPayload(reason)


def _id_in(tag: str, low: int, high: int) -> bool:
    return len(tag) == 2 and is_digits(tag) and low <= int(tag) <= high


def _digits(text: object, length: int) -> bool:
    return isinstance(text, str) and len(text) == length and is_digits(text)


def _fits(text: str | None, longest: int) -> bool:
    return isinstance(text, str) and 1 <= len(text) <= longest


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _alpha_currency(numeric: str) -> str:
    """The alpha code whose exponent turns a QR amount into minor units; unknown ones are refused."""
    if numeric not in _ALPHA_BY_NUMERIC:
        raise InvalidQrPayload("unsupported_currency")
    return _ALPHA_BY_NUMERIC[numeric]


def amount_text(amount: int, currency: str) -> str:
    """Minor units → the text of tag 54 or 56 (2372 CNY fen → "23.72"), exactly, via Decimal."""
    return format(to_decimal(amount, _alpha_currency(currency)), "f")


def amount_value(text: str, currency: str, tag: str) -> int:
    """The text of tag 54 or 56 → minor units; more decimals than the currency has is refused."""
    alpha = _alpha_currency(currency)
    _check(_AMOUNT_TEXT.fullmatch(text) is not None, f"invalid_tag_{tag}")
    try:
        return from_decimal(text, alpha)
    except ValueError:
        raise InvalidQrPayload(f"invalid_tag_{tag}") from None


def percentage_value(text: str) -> Decimal:
    """The text of tag 57 (tip percentage, "00.01" to "99.99") → an exact Decimal."""
    _check(_PERCENTAGE_TEXT.fullmatch(text) is not None, "invalid_tag_57")
    return Decimal(text)


def _valid_percentage(value: object) -> bool:
    if not isinstance(value, Decimal) or not value.is_finite():
        return False
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -2 and Decimal("0.01") <= value <= Decimal("99.99")


@dataclass(frozen=True, slots=True)
class MerchantLanguage:
    """Template 64: name and city in the merchant's own language (often Chinese).

    Tags 59 and 60 are meant to be readable anywhere (Latin script); this template carries the local
    spelling, which is why its lengths are counted in characters, never bytes.
    """

    language: str
    name: str
    city: str | None = None

    def __post_init__(self) -> None:
        language_ok = len(self.language) == 2 and self.language.isascii() and self.language.isalpha()
        _check(language_ok and _fits(self.name, 25), "invalid_tag_64")
        _check(self.city is None or _fits(self.city, 15), "invalid_tag_64")

    def template(self) -> str:
        """The value of tag 64."""
        parts = {"00": self.language, "01": self.name} | ({"02": self.city} if self.city is not None else {})
        return template("64", parts)


@dataclass(frozen=True, kw_only=True)
class MerchantPresentedQr:
    """One merchant-presented QR code; amounts are integer minor units of ``currency``.

    ``currency`` is the ISO 4217 numeric code ("156" for CNY). A dynamic code is shown for one
    payment and carries its amount; a static code is printed once and carries none. ``extra`` keeps
    tags 65–99 (including the unreserved templates 80–99) verbatim. ``tag_order`` remembers the
    order a decoded payload had, so re-encoding gives back the very same string (and CRC); it is not
    part of the meaning, so equality ignores it. Tags missing from it are written in ID order.
    """

    point_of_initiation: PointOfInitiation
    merchant_accounts: Mapping[str, MerchantAccount]
    mcc: str
    currency: str
    merchant_name: str
    merchant_city: str
    country: str = "CN"
    amount: int | None = None
    tip: TipIndicator | None = None
    tip_fixed: int | None = None
    tip_percentage: Decimal | None = None
    postal_code: str | None = None
    additional_data: Mapping[str, str] = field(default_factory=dict)
    language: MerchantLanguage | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    tag_order: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        _check(self.point_of_initiation in POINT_OF_INITIATION_CODES, "invalid_tag_01")
        _check(bool(self.merchant_accounts), "missing_merchant_account")
        for tag, account in self.merchant_accounts.items():
            is_template = _id_in(tag, FIRST_TEMPLATE_ACCOUNT, 51)
            shape_ok = is_template != isinstance(account, str) and (not is_template or "00" in account)
            _check(_id_in(tag, 2, 51) and shape_ok, f"invalid_tag_{tag}")
        _check(_digits(self.mcc, 4), "invalid_tag_52")
        _check(_digits(self.currency, 3), "invalid_tag_53")
        country_ok = len(self.country) == 2 and self.country.isascii() and self.country.isalpha()
        _check(country_ok and self.country.isupper(), "invalid_tag_58")
        _check(_fits(self.merchant_name, 25), "invalid_tag_59")
        _check(_fits(self.merchant_city, 15), "invalid_tag_60")
        _check(self.postal_code is None or _fits(self.postal_code, 10), "invalid_tag_61")
        self._check_amounts()
        _check(all(_id_in(tag, 1, 99) for tag in self.additional_data), "invalid_tag_62")
        for tag in self.extra:
            _check(_id_in(tag, 65, 99), f"invalid_tag_{tag}")
        length = _ENVELOPE_LENGTH + sum(len(data_object(tag, value)) for tag, value in self.data_objects())
        _check(length <= MAX_PAYLOAD_LENGTH, "too_long")

    def _check_amounts(self) -> None:
        if self.amount is not None or self.tip_fixed is not None:
            _alpha_currency(self.currency)
        for tag, value in (("54", self.amount), ("56", self.tip_fixed)):
            fits = value is None or (
                _positive_int(value) and len(amount_text(value, self.currency)) <= MAX_AMOUNT_LENGTH
            )
            _check(fits, f"invalid_tag_{tag}")
        if self.point_of_initiation == "dynamic":
            _check(self.amount is not None, "dynamic_without_amount")
        else:
            _check(self.amount is None, "static_with_amount")
        _check(self.tip is None or self.tip in TIP_CODES, "invalid_tag_55")
        _check((self.tip == "fixed") == (self.tip_fixed is not None), "invalid_tag_56")
        _check((self.tip == "percentage") == (self.tip_percentage is not None), "invalid_tag_57")
        _check(self.tip_percentage is None or _valid_percentage(self.tip_percentage), "invalid_tag_57")

    def data_objects(self) -> list[tuple[str, str]]:
        """Every (ID, value) between 00 and 63, templates already serialised, in payload order."""
        values = {"01": POINT_OF_INITIATION_CODES[self.point_of_initiation]}
        for tag, account in self.merchant_accounts.items():
            values[tag] = account if isinstance(account, str) else template(tag, account)
        values["52"] = self.mcc
        values["53"] = self.currency
        if self.amount is not None:
            values["54"] = amount_text(self.amount, self.currency)
        if self.tip is not None:
            values["55"] = TIP_CODES[self.tip]
        if self.tip_fixed is not None:
            values["56"] = amount_text(self.tip_fixed, self.currency)
        if self.tip_percentage is not None:
            values["57"] = format(self.tip_percentage, "f")
        values |= {"58": self.country, "59": self.merchant_name, "60": self.merchant_city}
        if self.postal_code is not None:
            values["61"] = self.postal_code
        if self.additional_data:
            values["62"] = template("62", self.additional_data)
        if self.language is not None:
            values["64"] = self.language.template()
        values |= self.extra
        remembered = [tag for tag in dict.fromkeys(self.tag_order) if tag in values]
        order = remembered + sorted(values.keys() - set(remembered))
        return [(tag, values[tag]) for tag in order]
