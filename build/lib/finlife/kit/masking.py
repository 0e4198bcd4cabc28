"""Masking of C2 personal financial information (JR/T 0171-2020) for lists, logs and other people."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "****"


def mask_id_number(id_number: str) -> str:
    """11010519491231002X → 110105********002X."""
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:] if len(id_number) > 10 else "****"


def mask_card_number(number: str) -> str:
    """6222021234561234 → 6222 **** **** 1234 (grouped as on the card)."""
    digits = number.replace(" ", "")
    return f"{digits[:4]} **** **** {digits[-4:]}" if len(digits) >= 12 else "****"


def mask_pan_first6_last4(pan: str) -> str:
    """Card PAN as shown after issue: first six and last four digits."""
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]
