"""The EMV data-object layer: ID + length + value, and the CRC that seals a payload.

Everything above this layer (which tag means what) lives in ``model``; everything here is the same
for every EMV QR payload, so it stays tiny and strict.
"""

from __future__ import annotations

import binascii
from collections.abc import Mapping

from finlife.kit.errors import RuleViolation

MAX_VALUE_LENGTH = 99  # the length field has two digits


class InvalidQrPayload(RuleViolation, ValueError):
    """A payload, or a model about to become one, breaks the EMVCo rules.

    ``reason`` is a short stable word ("crc_mismatch", "malformed", "missing_tag_59",
    "invalid_tag_54") for logs, tests and the problem+json answer. The class is also a ``ValueError``
    so code that validates input generically needs no special case for QR codes.
    """

    code = "invalid_qr_payload"

    def __init__(self, reason: str) -> None:
        super().__init__(params={"reason": reason})
        self.reason = reason


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR.

    ``binascii.crc_hqx`` is that polynomial, unreflected, with the initial value as its argument,
    so the standard library computes it in C; the tests check it against the bit-by-bit definition.
    """
    return binascii.crc_hqx(data, 0xFFFF)


def crc_text(payload_up_to_6304: str) -> str:
    """The value of tag 63: the CRC of the UTF-8 bytes before it, as 4 upper-case hex digits."""
    return f"{crc16_ccitt_false(payload_up_to_6304.encode('utf-8')):04X}"


def is_digits(text: str) -> bool:
    """ASCII digits only: ``str.isdigit`` alone would also accept '²' or Arabic-Indic digits."""
    return text.isascii() and text.isdigit()


def parse_tlv(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (ID, value) pairs, in order; lengths count characters, not bytes.

    Refuses (reason "malformed") a non-numeric ID or length, a zero length, and an object that runs
    past the end of the text, so a truncated payload never parses as a shorter valid one.
    """
    objects: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not is_digits(header) or header[2:] == "00":
            raise InvalidQrPayload("malformed")
        end = position + 4 + int(header[2:])
        if end > len(text):
            raise InvalidQrPayload("malformed")
        objects.append((header[:2], text[position + 4 : end]))
        position = end
    return objects


def data_object(tag: str, value: str, *, path: str | None = None) -> str:
    """Serialise one data object, refusing what could not be read back exactly.

    ``path`` names the object in the error reason ("62_01") when it sits inside a template.
    """
    if len(tag) != 2 or not is_digits(tag):
        raise InvalidQrPayload(f"invalid_tag_{path or tag}")
    if not 1 <= len(value) <= MAX_VALUE_LENGTH or not value.isprintable():
        raise InvalidQrPayload(f"invalid_tag_{path or tag}")
    return f"{tag}{len(value):02d}{value}"


def template(tag: str, objects: Mapping[str, str]) -> str:
    """Serialise a template's sub-objects, in their insertion order, as the value of ``tag``."""
    return "".join(data_object(sub, value, path=f"{tag}_{sub}") for sub, value in objects.items())


def parse_template(value: str) -> dict[str, str]:
    """Read a template value; a repeated sub-ID could not round-trip, so it is malformed."""
    objects = parse_tlv(value)
    parsed = dict(objects)
    if len(parsed) != len(objects):
        raise InvalidQrPayload("malformed")
    return parsed
