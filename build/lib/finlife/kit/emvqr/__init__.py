"""EMVCo QR code, merchant-presented mode: a small, strict codec for the public standard.

``decode`` turns the text a customer's app scans into a ``MerchantPresentedQr``; ``encode`` turns
one back into text, byte for byte when the model came from ``decode``. It knows no bank domain:
callers map merchant account templates to their own merchants.
"""

from finlife.kit.emvqr.codec import decode, encode
from finlife.kit.emvqr.model import (
    ADDITIONAL_DATA_IDS,
    MerchantAccount,
    MerchantLanguage,
    MerchantPresentedQr,
    PointOfInitiation,
    TipIndicator,
)
from finlife.kit.emvqr.tlv import InvalidQrPayload, crc16_ccitt_false, parse_tlv

__all__ = [
    "ADDITIONAL_DATA_IDS",
    "InvalidQrPayload",
    "MerchantAccount",
    "MerchantLanguage",
    "MerchantPresentedQr",
    "PointOfInitiation",
    "TipIndicator",
    "crc16_ccitt_false",
    "decode",
    "encode",
    "parse_tlv",
]
