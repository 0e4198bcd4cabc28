"""Binding verification: before a remotely opened Class II/III account is bound to an account at
another bank, that bank confirms the account exists and belongs to the same person.

Asked over the bank's HTTP endpoint (``POST {iso20022_url}/bindings/verify`` with the account
number, name and ID number → ``{"verified": bool}``). The ID number is C2 data: it goes only to the
bank that holds the account, and is neither stored nor logged here.
"""

from __future__ import annotations

import httpx
from sqlalchemy.orm import Session

from finlife.interbank.errors import BankUnreachable, UnknownBank
from finlife.interbank.service.directory import get_bank


def verify_binding(session: Session, bank_code: str, number: str, name: str, id_number: str) -> bool | None:
    """True or False as the other bank answers; None for a bank we are not connected to (not in the
    directory, or without an HTTP endpoint). 503 bank_unreachable when it does not answer."""
    try:
        bank = get_bank(session, bank_code)
    except UnknownBank:
        return None
    if bank.iso20022_url is None:
        return None
    try:
        answer = httpx.post(
            f"{bank.iso20022_url}/bindings/verify",
            json={"account_number": number, "name": name, "id_number": id_number},
            timeout=bank.timeout_ms / 1000,
        )
        answer.raise_for_status()
        verified = answer.json()["verified"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        raise BankUnreachable(bank.code) from exc
    return verified is True
