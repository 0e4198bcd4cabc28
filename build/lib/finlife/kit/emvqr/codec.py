"""Payload text ↔ ``MerchantPresentedQr``: the envelope (00 first, 63 last, CRC) and tag mapping."""

from __future__ import annotations

from finlife.kit.emvqr.model import (
    FIRST_TEMPLATE_ACCOUNT,
    MAX_PAYLOAD_LENGTH,
    POINT_OF_INITIATION_CODES,
    TIP_CODES,
    MerchantAccount,
    MerchantLanguage,
    MerchantPresentedQr,
    amount_value,
    percentage_value,
)
from finlife.kit.emvqr.tlv import InvalidQrPayload, crc_text, data_object, parse_template, parse_tlv

REQUIRED_TAGS = ("01", "52", "53", "58", "59", "60")
_POINT_OF_INITIATION_BY_CODE = {code: name for name, code in POINT_OF_INITIATION_CODES.items()}
_TIP_BY_CODE = {code: name for name, code in TIP_CODES.items()}


def encode(qr: MerchantPresentedQr) -> str:
    """The payload text for ``qr``: 00 first, the model's data objects, then the CRC in 63."""
    body = data_object("00", "01") + "".join(data_object(tag, value) for tag, value in qr.data_objects())
    return body + "6304" + crc_text(body + "6304")


def decode(payload: str) -> MerchantPresentedQr:
    """Read a payload, refusing (``InvalidQrPayload``) anything a careful scanner would not pay.

    The order of checks is structure, then CRC, then meaning, so a corrupted code reports
    "malformed" or "crc_mismatch" rather than a misleading complaint about one tag.
    """
    if len(payload) > MAX_PAYLOAD_LENGTH:
        raise InvalidQrPayload("too_long")
    if not payload.isprintable():
        raise InvalidQrPayload("malformed")
    objects = parse_tlv(payload)
    if not objects or objects[0][0] != "00" or objects[-1][0] != "63" or len(objects[-1][1]) != 4:
        raise InvalidQrPayload("malformed")
    if objects[-1][1] != crc_text(payload[:-4]):
        raise InvalidQrPayload("crc_mismatch")
    if objects[0][1] != "01":
        raise InvalidQrPayload("invalid_tag_00")
    fields = dict(objects[1:-1])
    if len(fields) != len(objects) - 2 or {"00", "63"} & fields.keys():
        raise InvalidQrPayload("malformed")
    for tag in REQUIRED_TAGS:
        if tag not in fields:
            raise InvalidQrPayload(f"missing_tag_{tag}")
    return _model(fields, tag_order=tuple(tag for tag, _ in objects[1:-1]))


def _model(fields: dict[str, str], *, tag_order: tuple[str, ...]) -> MerchantPresentedQr:
    currency = fields["53"]
    if fields["01"] not in _POINT_OF_INITIATION_BY_CODE:
        raise InvalidQrPayload("invalid_tag_01")
    if "55" in fields and fields["55"] not in _TIP_BY_CODE:
        raise InvalidQrPayload("invalid_tag_55")
    accounts: dict[str, MerchantAccount] = {
        tag: parse_template(value) if int(tag) >= FIRST_TEMPLATE_ACCOUNT else value
        for tag, value in fields.items()
        if 2 <= int(tag) <= 51
    }
    return MerchantPresentedQr(
        point_of_initiation=_POINT_OF_INITIATION_BY_CODE[fields["01"]],
        merchant_accounts=accounts,
        mcc=fields["52"],
        currency=currency,
        merchant_name=fields["59"],
        merchant_city=fields["60"],
        country=fields["58"],
        amount=amount_value(fields["54"], currency, "54") if "54" in fields else None,
        tip=_TIP_BY_CODE[fields["55"]] if "55" in fields else None,
        tip_fixed=amount_value(fields["56"], currency, "56") if "56" in fields else None,
        tip_percentage=percentage_value(fields["57"]) if "57" in fields else None,
        postal_code=fields.get("61"),
        additional_data=parse_template(fields["62"]) if "62" in fields else {},
        language=_language(fields["64"]) if "64" in fields else None,
        extra={tag: value for tag, value in fields.items() if int(tag) >= 65},
        tag_order=tag_order,
    )


def _language(value: str) -> MerchantLanguage:
    """Template 64; its sub-IDs 03–99 are reserved, and a model could not carry them back out."""
    parts = parse_template(value)
    if not {"00", "01"} <= parts.keys() <= {"00", "01", "02"}:
        raise InvalidQrPayload("invalid_tag_64")
    return MerchantLanguage(language=parts["00"], name=parts["01"], city=parts.get("02"))
