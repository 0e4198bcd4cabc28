"""Deferred net settlement with the other banks: each bank's position of a business day, read from
its clearing account, settled once with one balanced entry.

The day's position is the clearing account's movement over the day (its own settlement entries
left out): their cards at our merchants (+, they owe us), our customers' transfers to theirs (−, we
owe them), their customers' transfers to ours (+), and anything else booked there (reversals,
reconciliation adjustments). The issuer keeps the interchange (its part of the merchant fee) on its
cards, so ``net`` = movement − interchange is what moves through our settlement account at the
central bank (``BankPurpose.CLEARING``):

    debit  central clearing   net
    debit  fee income         interchange   (the issuer's share of fees we charged the merchant)
    credit bank's clearing    movement      (the day's position is cleared)

One row per bank and day (a unique key): a second run of the day finds it and moves nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.interbank import service as interbank
from finlife.interbank.schemas import BankOut
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.db import savepoint
from finlife.kit.ids import new_id
from finlife.kit.pagination import PageParams
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line, StatementLineOut
from finlife.payments import service as payments
from finlife.settlement.models import InterbankPosition
from finlife.settlement.schemas import InterbankPositionOut
from finlife.settlement.service.calendar import day_bounds

CURRENCY = "CNY"  # clearing accounts are in CNY (see interbank.directory)
SETTLEMENT_KIND = "interbank_settlement"
CARD_KINDS = frozenset({"card_payment_off_us"})
TRANSFER_OUT_KINDS = frozenset({"hold_capture"})  # an outbound transfer's hold captured on ACSC
TRANSFER_IN_KINDS = frozenset({"interbank_transfer_in"})
PAGE = 500


@dataclass
class _Day:
    card_count: int = 0
    card_amount: int = 0
    card_entries: list[str] = field(default_factory=list)
    transfers_out_count: int = 0
    transfers_out_amount: int = 0
    transfers_in_count: int = 0
    transfers_in_amount: int = 0
    other_amount: int = 0

    @property
    def movement(self) -> int:
        return self.card_amount - self.transfers_out_amount + self.transfers_in_amount + self.other_amount

    def add(self, line: StatementLineOut) -> None:
        if line.kind in CARD_KINDS:
            self.card_count += 1
            self.card_amount += line.amount
            self.card_entries.append(line.id)
        elif line.kind in TRANSFER_OUT_KINDS:
            self.transfers_out_count += 1
            self.transfers_out_amount -= line.amount
        elif line.kind in TRANSFER_IN_KINDS:
            self.transfers_in_count += 1
            self.transfers_in_amount += line.amount
        else:
            self.other_amount += line.amount


def _lines_of_day(session: Session, account_id: str, day: date) -> Iterator[StatementLineOut]:
    """The account's postings made during the business day, newest first (walking back from now)."""
    since, until = day_bounds(day)
    cursor: str | None = None
    while True:
        page = ledger.statement(session, account_id, PageParams(limit=PAGE, starting_after=cursor))
        for line in page.data:
            if line.created_at < since:
                return
            if line.created_at < until:
                yield line
        if not page.has_more or not page.data:
            return
        cursor = page.data[-1].id


def _day_of(session: Session, bank: BankOut, day: date) -> _Day:
    figures = _Day()
    for line in _lines_of_day(session, bank.clearing_account_id, day):
        if line.kind != SETTLEMENT_KIND:
            figures.add(line)
    return figures


def _out(row: InterbankPosition) -> InterbankPositionOut:
    return InterbankPositionOut(
        bank_code=row.bank_code,
        business_date=row.business_date,
        currency=row.currency,
        card_count=row.card_count,
        card_amount=row.card_amount,
        transfers_out_count=row.transfers_out_count,
        transfers_out_amount=row.transfers_out_amount,
        transfers_in_count=row.transfers_in_count,
        transfers_in_amount=row.transfers_in_amount,
        other_amount=row.other_amount,
        movement=row.movement,
        interchange=row.interchange,
        net=row.net,
        settled=True,
        entry_id=row.entry_id,
    )


def _position(session: Session, bank: BankOut, day: date) -> InterbankPosition:
    """The bank's position of the day as a (not yet added) row."""
    figures = _day_of(session, bank, day)
    interchange = payments.issuer_fees(session, figures.card_entries)
    return InterbankPosition(
        public_id=new_id("ibp"),
        bank_code=bank.code,
        business_date=day,
        currency=CURRENCY,
        card_count=figures.card_count,
        card_amount=figures.card_amount,
        transfers_out_count=figures.transfers_out_count,
        transfers_out_amount=figures.transfers_out_amount,
        transfers_in_count=figures.transfers_in_count,
        transfers_in_amount=figures.transfers_in_amount,
        other_amount=figures.other_amount,
        movement=figures.movement,
        interchange=interchange,
        net=figures.movement - interchange,
    )


def _settled(session: Session, day: date) -> dict[str, InterbankPosition]:
    rows = session.execute(select(InterbankPosition).where(InterbankPosition.business_date == day)).scalars()
    return {row.bank_code: row for row in rows}


def _book(session: Session, actor: Actor, bank: BankOut, row: InterbankPosition) -> None:
    if row.movement == 0 and row.interchange == 0:
        return
    lines = [Line(bank.clearing_account_id, -row.movement, CURRENCY)]
    if row.net:
        lines.append(Line(ledger.bank_account(session, BankPurpose.CLEARING, CURRENCY).id, row.net, CURRENCY))
    if row.interchange:
        fee_income = ledger.bank_account(session, BankPurpose.FEE_INCOME, CURRENCY).id
        lines.append(Line(fee_income, row.interchange, CURRENCY))
    entry = ledger.post(
        session,
        actor,
        kind=SETTLEMENT_KIND,
        lines=lines,
        memo=f"net settlement with {bank.code} {row.business_date.isoformat()}",
        details={
            "bank": bank.code,
            "business_date": row.business_date.isoformat(),
            "position": row.public_id,
        },
    )
    row.entry_id = entry.id


def settle_interbank(session: Session, actor: Actor, day: date) -> list[InterbankPositionOut]:
    """Settle every other bank's net position of ``day`` once (bank admin or finlife itself); the
    positions of the day, already settled ones included, in bank code order."""
    actor.require(Role.BANK_ADMIN)
    done = _settled(session, day)
    for bank in interbank.list_banks(session):
        if bank.code in done:
            continue
        row = _position(session, bank, day)
        row.created_by, row.created_at = actor.user_id, clock.now()
        try:
            with savepoint(session):
                session.add(row)
                session.flush()
                _book(session, actor, bank, row)
                session.flush()
        except IntegrityError:  # a concurrent run settled it first: this one moves nothing
            row = session.execute(
                select(InterbankPosition).where(
                    InterbankPosition.bank_code == bank.code, InterbankPosition.business_date == day
                )
            ).scalar_one()
        done[bank.code] = row
    return [_out(done[code]) for code in sorted(done)]


def interbank_positions(session: Session, actor: Actor, day: date) -> list[InterbankPositionOut]:
    """Every other bank's position of ``day``: as settled, or computed now for a bank not settled
    yet (``settled`` False). Bank staff only."""
    actor.require(Role.TELLER, Role.BANK_ADMIN)
    done = _settled(session, day)
    positions = []
    for bank in interbank.list_banks(session):
        if bank.code in done:
            positions.append(_out(done[bank.code]))
        else:
            preview = _position(session, bank, day)
            positions.append(_out(preview).model_copy(update={"settled": False}))
    return positions


CSV_COLUMNS = [
    "business_date",
    "bank",
    "currency",
    "card_count",
    "card_amount",
    "transfers_out_count",
    "transfers_out_amount",
    "transfers_in_count",
    "transfers_in_amount",
    "other_amount",
    "movement",
    "interchange",
    "net",
    "direction",
    "settled",
    "entry_id",
]


def positions_csv(positions: list[InterbankPositionOut]) -> str:
    """The settlement report: one line per bank (amounts in fen; ``direction`` says who pays)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for p in positions:
        direction = "they_pay_us" if p.net > 0 else "we_pay_them" if p.net < 0 else "flat"
        writer.writerow(
            [
                p.business_date.isoformat(),
                p.bank_code,
                p.currency,
                p.card_count,
                p.card_amount,
                p.transfers_out_count,
                p.transfers_out_amount,
                p.transfers_in_count,
                p.transfers_in_amount,
                p.other_amount,
                p.movement,
                p.interchange,
                p.net,
                direction,
                "yes" if p.settled else "no",
                p.entry_id or "",
            ]
        )
    return buffer.getvalue()


def write_positions_report(positions: list[InterbankPositionOut], day: date, folder: Path) -> Path:
    """``interbank-{date}.csv`` in ``folder`` (created if needed); rewritten by a later run."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"interbank-{day.isoformat()}.csv"
    path.write_text(positions_csv(positions), encoding="utf-8")
    return path
