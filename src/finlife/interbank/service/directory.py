"""The bank directory: other banks' codes, BIN ranges, endpoints and clearing accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.interbank.errors import BankExists, BinTaken, NotOtherBank, UnknownBank
from finlife.interbank.models import Bank
from finlife.interbank.schemas import BankIn, BankOut
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.permissions import Capability, require
from finlife.kit.pipeline import Params, Rows
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind
from finlife.settings import Settings

CURRENCY = "CNY"


def _out(bank: Bank) -> BankOut:
    return BankOut(
        code=bank.code,
        name=bank.name,
        bins=list(bank.bins),
        iso8583_endpoints=list(bank.iso8583_endpoints),
        iso20022_url=bank.iso20022_url,
        timeout_ms=bank.timeout_ms,
        clearing_account_id=bank.clearing_ledger_account_id,
        created_at=bank.created_at,
    )


def add_bank(session: Session, settings: Settings, actor: Actor, body: BankIn) -> BankOut:
    """Add another bank, with its own clearing ledger account (an asset: what that bank owes us)."""
    require(actor, Capability.BANK_DIRECTORY)
    if body.code == settings.bank_code:
        raise NotOtherBank()
    if session.execute(select(Bank.id).where(Bank.code == body.code)).first() is not None:
        raise BankExists()
    for other in session.execute(select(Bank)).scalars():
        for prefix in body.bins:
            if any(prefix.startswith(b) or b.startswith(prefix) for b in other.bins):
                raise BinTaken(prefix, other.code)
    clearing = ledger.open_account(
        session,
        code=f"bank:clearing:{body.code}:{CURRENCY}",
        name=f"clearing with {body.code}",
        kind=AccountKind.ASSET,
        currency=CURRENCY,
        allow_overdraft=True,  # the position runs either way between settlements
    )
    bank = Bank(
        code=body.code,
        name=body.name,
        bins=list(body.bins),
        iso8583_endpoints=list(body.iso8583_endpoints),
        iso20022_url=body.iso20022_url,
        timeout_ms=body.timeout_ms,
        clearing_ledger_account_id=clearing.id,
        created_at=clock.now(),
    )
    session.add(bank)
    session.flush()
    audit.record(
        session, actor, "bank.added", subject_type="bank", subject_id=bank.code, details=body.model_dump()
    )
    return _out(bank)


def list_banks(session: Session) -> list[BankOut]:
    return [_out(bank) for bank in session.execute(select(Bank).order_by(Bank.code)).scalars()]


def get_bank(session: Session, code: str) -> BankOut:
    bank = session.execute(select(Bank).where(Bank.code == code)).scalar_one_or_none()
    if bank is None:
        raise UnknownBank()
    return _out(bank)


def issuer_of(session: Session, pan: str, *, banks: Rows | None = None) -> BankOut | None:
    """The other bank whose BIN range the card falls in (longest prefix wins), or None: on-us.
    ``banks``: the rows of ``banks_query``, when the caller sent it with its own reads (PostgreSQL)."""
    if banks is None:
        found = [_out(bank) for bank in session.execute(_BANKS).scalars()]
    else:
        found = [_out_of_row(row) for row in banks]
    best: BankOut | None = None
    best_length = 0
    for bank in found:
        for prefix in bank.bins:
            if pan.startswith(prefix) and len(prefix) > best_length:
                best, best_length = bank, len(prefix)
    return best


def _out_of_row(row: Sequence[Any]) -> BankOut:
    values = dict(zip(_BANK_FIELDS, row, strict=True))
    values["created_at"] = values["created_at"].astimezone(UTC)  # as ``UTCDateTime`` reads it
    return BankOut(**values)


def banks_query() -> tuple[str, Params]:
    """PostgreSQL: every other bank, for ``issuer_of``'s ``banks``."""
    return _BANKS_SQL, {}


_BANKS = select(Bank)
_BANK_FIELDS = (
    "code",
    "name",
    "bins",
    "iso8583_endpoints",
    "iso20022_url",
    "timeout_ms",
    "clearing_account_id",
    "created_at",
)
_BANKS_SQL = (
    "SELECT code, name, bins, iso8583_endpoints, iso20022_url, timeout_ms, clearing_ledger_account_id,"
    " created_at FROM interbank_banks"
)
