"""One message catalogue for the API's errors and the pages, in zh-CN and English.

Messages are ``str.format`` templates keyed by a stable code; the same code renders the same words
in a problem+json answer, on a page and in a log line.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from babel.numbers import format_currency, format_decimal

from finlife.kit.i18n import (
    bank_audit,
    channels,
    csv_words,
    customer_pay,
    errors,
    interbank,
    interbank_pages,
    jobs,
    life_pages,
    marketing,
    merchant,
    operations,
    pages,
    pos,
    signatures,
    unlock,
)

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

CATALOGUE: dict[str, dict[str, str]] = {}
for _area in (
    errors,
    pages,
    merchant,
    pos,
    marketing,
    interbank,
    interbank_pages,
    life_pages,
    customer_pay,
    bank_audit,
    jobs,
    operations,
    channels,
    signatures,
    unlock,
    csv_words,
):
    _overlap = CATALOGUE.keys() & _area.MESSAGES.keys()
    if _overlap:  # one code, one message: a key defined twice is a mistake, caught at import
        raise RuntimeError(f"message keys defined twice: {sorted(_overlap)}")
    CATALOGUE.update(_area.MESSAGES)


def register(messages: Mapping[str, dict[str, str]]) -> None:
    """Add a module's own words (its ``messages.py``, registered when the module is imported).

    Every entry needs both languages; a key another area already defines is a mistake, caught here."""
    overlap = CATALOGUE.keys() & messages.keys()
    if overlap:
        raise RuntimeError(f"message keys defined twice: {sorted(overlap)}")
    for key, entry in messages.items():
        if set(entry) != set(LANGUAGES):
            raise RuntimeError(f"message {key!r} needs exactly {LANGUAGES}, has {sorted(entry)}")
    CATALOGUE.update(messages)


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN or en from an Accept-Language header (zh-CN when nothing matches)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((weight, tag.strip().lower()))
    for _, tag in sorted(ranked, key=lambda item: -item[0]):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh-CN"
    return DEFAULT_LANGUAGE


_NAMED_PARAMS = (
    ("what", "thing."),
    ("limit_name", "limit."),
    ("partner_status", "ui.partner.status."),
    ("consent_status", "consent.status."),
)


class _Plurals(string.Formatter):
    """``{count:plural:order:orders}`` → "1 order", "2 orders", "0 orders": English counts agree with
    their noun (Chinese needs no such form; its templates never use it)."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec.startswith("plural:"):
            one, _, many = format_spec.removeprefix("plural:").partition(":")
            return f"{value} {one if str(value) == '1' else many}"  # a count formatted as text too
        return super().format_field(value, format_spec)


_PLURALS = _Plurals()


def translate(key: str, language: str = DEFAULT_LANGUAGE, params: Mapping[str, Any] | None = None) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    values = dict(params or {})
    # Parameters that name a thing rather than quote a value are translated too: an error carries
    # the stable name ("account", "II.out.daily") and each language gets its own words for it.
    for param, prefix in _NAMED_PARAMS:
        if param in values and f"{prefix}{values[param]}" in CATALOGUE:
            values[param] = translate(f"{prefix}{values[param]}", language)
    try:
        return _PLURALS.vformat(template, (), values) if ":plural:" in template else template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def format_money(amount: int, currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Render minor units for people, e.g. 123456 CNY → ¥1,234.56 in both languages (English locales
    would write CN¥, which a customer of a Chinese bank never reads on their money)."""
    from finlife.kit.money import to_decimal

    locale = "zh_CN" if language == "zh-CN" else "en_US"
    if currency == "CNY":
        value = to_decimal(amount, currency)
        return ("-" if value < 0 else "") + "¥" + format_decimal(abs(value), format="#,##0.00", locale=locale)
    return format_currency(to_decimal(amount, currency), currency, locale=locale)
