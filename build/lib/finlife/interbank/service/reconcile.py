"""Reconciliation: another bank's end-of-day settlement file against our records of the same day.

The file is the simulator's (and this network's) CSV: ``bank, business_date, reference, kind,
amount, currency``, one line per booking the other bank made with us, the amount signed as it
changed *its* customer's account: ``card_payment`` (RRN, negative: its cardholder paid one of our
merchants), ``transfer_in`` (UETR, positive: one of our customers paid its customer),
``transfer_out`` (UETR, negative: its customer paid one of ours). Seen from our clearing account
with that bank every line is worth −amount.

Each reference is matched with our records of the day (approved card authorisations by RRN,
completed transfers by UETR): matched, amount mismatch, missing on our side, missing on theirs.
Every exception is stored with a suspense entry for the difference (theirs − ours): the clearing
account is brought to the other bank's figure, which is what will settle, and the difference
waits in the suspense account (``BankPurpose.SUSPENSE``) until someone resolves it. Once per bank
and day: a second file for the same day is refused, so nothing is parked twice.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.interbank.errors import ReconciliationExists, SettlementFileInvalid
from finlife.interbank.models import (
    CardAuthorisation,
    InterbankTransfer,
    Reconciliation,
    ReconciliationException,
)
from finlife.interbank.schemas import ReconciliationExceptionOut, ReconciliationOut
from finlife.interbank.service.directory import get_bank
from finlife.kit.auth import Actor, Role
from finlife.kit.clock import clock
from finlife.kit.db import savepoint
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose, Line

COLUMNS = ("bank", "business_date", "reference", "kind", "amount", "currency")
KINDS = frozenset({"card_payment", "transfer_in", "transfer_out"})
CURRENCY = "CNY"
MATCHED, MISSING_OURS, MISSING_THEIRS, MISMATCH = (
    "matched",
    "missing_ours",
    "missing_theirs",
    "amount_mismatch",
)
# How far a reconciliation got, for a progress bar: (done, total, stage), the stage one of these.
READING, COMPARING, PARKING = "reading", "comparing", "parking"
ReconcileProgress = Callable[[int, int, str], None]


def _no_progress(_done: int, _total: int, _stage: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Item:
    """One booking, its amount signed as our clearing account with that bank reads (> 0 they owe us)."""

    reference: str
    kind: str
    amount: int


@dataclass(frozen=True, slots=True)
class SettlementFile:
    bank_code: str
    business_date: date
    items: dict[str, Item]


def _invalid(line: int, detail: str) -> SettlementFileInvalid:
    return SettlementFileInvalid(line, detail)


def parse_settlement_file(text: str, bank_code: str, business_date: date | None = None) -> SettlementFile:
    """Read and check the file (422 settlement_file_invalid naming the line); a file without lines
    needs ``business_date``."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not set(COLUMNS) <= set(reader.fieldnames):
        raise _invalid(1, f"the header must name {', '.join(COLUMNS)}")
    items: dict[str, Item] = {}
    day = business_date
    for number, row in enumerate(reader, start=2):
        if row["bank"] != bank_code:
            raise _invalid(number, f"bank {row['bank']!r} is not {bank_code}")
        try:
            row_day = date.fromisoformat(row["business_date"] or "")
            amount = int(row["amount"] or "")
        except ValueError as exc:
            raise _invalid(number, str(exc)) from exc
        if day is None:
            day = row_day
        if row_day != day:
            raise _invalid(number, f"business date {row_day} is not {day}")
        reference, kind = (row["reference"] or "").strip(), row["kind"] or ""
        if not reference or len(reference) > 64:
            raise _invalid(number, "the reference is missing or too long")
        if amount == 0:
            raise _invalid(number, "a booking of zero moves no money")
        if kind not in KINDS:
            raise _invalid(number, f"unknown kind {kind!r}")
        if row["currency"] != CURRENCY:
            raise _invalid(number, f"currency {row['currency']!r} is not {CURRENCY}")
        if reference in items:
            raise _invalid(number, f"reference {reference} appears twice")
        items[reference] = Item(reference, kind, -amount)
    if day is None:
        raise _invalid(1, "the file has no lines: name the business date")
    return SettlementFile(bank_code, day, items)


def our_items(session: Session, bank_code: str, day: date) -> dict[str, Item]:
    """Our bookings with the bank on that business day, named as the other bank's file names them."""
    items: dict[str, Item] = {}
    cards = session.execute(
        select(CardAuthorisation.rrn, CardAuthorisation.amount).where(
            CardAuthorisation.bank_code == bank_code,
            CardAuthorisation.business_date == day,
            CardAuthorisation.status == "approved",
        )
    )
    for rrn, amount in cards:
        items[rrn] = Item(rrn, "card_payment", amount)
    transfers = session.execute(
        select(InterbankTransfer.uetr, InterbankTransfer.direction, InterbankTransfer.amount).where(
            InterbankTransfer.bank_code == bank_code,
            InterbankTransfer.business_date == day,
            InterbankTransfer.status == "completed",
        )
    )
    for uetr, direction, amount in transfers:
        # Our outbound transfer came *in* at their bank, and the other way round.
        if direction == "out":
            items[uetr] = Item(uetr, "transfer_in", -amount)
        else:
            items[uetr] = Item(uetr, "transfer_out", amount)
    return items


def _compare(theirs: dict[str, Item], ours: dict[str, Item]) -> tuple[int, list[ReconciliationException]]:
    """How many lines matched, and the exceptions in reference order (entries not booked yet)."""
    matched = 0
    exceptions = []
    for reference in sorted(theirs.keys() | ours.keys()):
        their, our = theirs.get(reference), ours.get(reference)
        if their is not None and our is not None and their.amount == our.amount:
            matched += 1
            continue
        status = MISSING_OURS if our is None else MISSING_THEIRS if their is None else MISMATCH
        kind = (their or our).kind  # type: ignore[union-attr]  # one of them is there
        their_amount = None if their is None else their.amount
        our_amount = None if our is None else our.amount
        exceptions.append(
            ReconciliationException(
                status=status,
                reference=reference,
                kind=kind,
                their_amount=their_amount,
                our_amount=our_amount,
                difference=(their_amount or 0) - (our_amount or 0),
            )
        )
    return matched, exceptions


def _park(
    session: Session,
    actor: Actor,
    clearing: str,
    suspense: str,
    row: Reconciliation,
    item: ReconciliationException,
) -> None:
    """Bring the clearing account to their figure; the difference waits in suspense."""
    entry = ledger.post(
        session,
        actor,
        kind="reconciliation_suspense",
        lines=[Line(clearing, item.difference, CURRENCY), Line(suspense, -item.difference, CURRENCY)],
        memo=f"{item.status} {row.bank_code} {item.reference}",
        details={
            "reconciliation": row.public_id,
            "bank": row.bank_code,
            "business_date": row.business_date.isoformat(),
            "reference": item.reference,
            "status": item.status,
        },
    )
    item.entry_id = entry.id


def _exception_out(item: ReconciliationException) -> ReconciliationExceptionOut:
    return ReconciliationExceptionOut(
        status=item.status,
        reference=item.reference,
        kind=item.kind,
        their_amount=item.their_amount,
        our_amount=item.our_amount,
        difference=item.difference,
        entry_id=item.entry_id,
    )


def _out(row: Reconciliation, exceptions: list[ReconciliationException]) -> ReconciliationOut:
    return ReconciliationOut(
        id=row.public_id,
        bank_code=row.bank_code,
        business_date=row.business_date,
        file_name=row.file_name,
        matched=row.matched,
        missing_ours=row.missing_ours,
        missing_theirs=row.missing_theirs,
        amount_mismatch=row.amount_mismatch,
        their_total=row.their_total,
        our_total=row.our_total,
        suspense_total=row.suspense_total,
        created_at=row.created_at,
        exceptions=[_exception_out(item) for item in exceptions],
    )


def reconcile(
    session: Session,
    actor: Actor,
    bank_code: str,
    text: str,
    *,
    file_name: str = "",
    business_date: date | None = None,
    progress: ReconcileProgress = _no_progress,
) -> ReconciliationOut:
    """Compare the bank's settlement file with our records, store and park every exception (bank
    admin); 409 reconciliation_exists if that bank's day was reconciled already. ``progress`` hears
    of reading the file, comparing its N items and parking the k-th of the exceptions."""
    actor.require(Role.BANK_ADMIN)
    progress(0, 0, READING)
    bank = get_bank(session, bank_code)
    parsed = parse_settlement_file(text, bank.code, business_date)
    theirs, ours = parsed.items, our_items(session, bank.code, parsed.business_date)
    compared = len(theirs.keys() | ours.keys())
    progress(0, compared, COMPARING)
    matched, exceptions = _compare(theirs, ours)
    progress(compared, compared, COMPARING)
    row = Reconciliation(
        public_id=new_id("rec"),
        bank_code=bank.code,
        business_date=parsed.business_date,
        file_name=file_name[:255],
        matched=matched,
        missing_ours=sum(item.status == MISSING_OURS for item in exceptions),
        missing_theirs=sum(item.status == MISSING_THEIRS for item in exceptions),
        amount_mismatch=sum(item.status == MISMATCH for item in exceptions),
        their_total=sum(item.amount for item in theirs.values()),
        our_total=sum(item.amount for item in ours.values()),
        suspense_total=sum(item.difference for item in exceptions),
        created_by=actor.user_id,
        created_at=clock.now(),
    )
    try:
        with savepoint(session):
            session.add(row)
            session.flush()
    except IntegrityError as exc:
        raise ReconciliationExists(bank.code, parsed.business_date) from exc
    suspense = ledger.bank_account(session, BankPurpose.SUSPENSE, CURRENCY).id
    progress(0, len(exceptions), PARKING)
    for parked, item in enumerate(exceptions, start=1):
        item.reconciliation_id = row.id
        _park(session, actor, bank.clearing_account_id, suspense, row, item)
        session.add(item)
        progress(parked, len(exceptions), PARKING)
    session.flush()
    audit.record(
        session,
        actor,
        "reconciliation.completed",
        subject_type="reconciliation",
        subject_id=row.public_id,
        details={
            "bank": row.bank_code,
            "business_date": row.business_date.isoformat(),
            "matched": row.matched,
            "exceptions": len(exceptions),
            "suspense_total": row.suspense_total,
        },
    )
    return _out(row, exceptions)


def get_reconciliation(session: Session, actor: Actor, reconciliation_id: str) -> ReconciliationOut:
    actor.require(Role.TELLER, Role.BANK_ADMIN)
    row = session.execute(
        select(Reconciliation).where(Reconciliation.public_id == reconciliation_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("reconciliation")
    exceptions = session.execute(
        select(ReconciliationException)
        .where(ReconciliationException.reconciliation_id == row.id)
        .order_by(ReconciliationException.id)
    ).scalars()
    return _out(row, list(exceptions))


def list_reconciliations(session: Session, actor: Actor, limit: int = 50) -> list[ReconciliationOut]:
    """The latest reconciliations, newest business day first, without their exceptions (bank staff)."""
    actor.require(Role.TELLER, Role.BANK_ADMIN)
    rows = session.execute(
        select(Reconciliation)
        .order_by(Reconciliation.business_date.desc(), Reconciliation.id.desc())
        .limit(limit)
    ).scalars()
    return [_out(row, []) for row in rows]


REPORT_COLUMNS = [
    "bank",
    "business_date",
    "status",
    "kind",
    "reference",
    "their_amount",
    "our_amount",
    "difference",
    "suspense_entry_id",
]


def reconciliation_csv(report: ReconciliationOut) -> str:
    """The exceptions, one per line (amounts in fen, signed as our clearing account reads), then one
    ``total`` line per outcome with its count in ``reference``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    day = report.business_date.isoformat()
    for item in report.exceptions:
        writer.writerow(
            [
                report.bank_code,
                day,
                item.status,
                item.kind,
                item.reference,
                "" if item.their_amount is None else item.their_amount,
                "" if item.our_amount is None else item.our_amount,
                item.difference,
                item.entry_id,
            ]
        )
    for status, count in (
        (MATCHED, report.matched),
        (MISSING_OURS, report.missing_ours),
        (MISSING_THEIRS, report.missing_theirs),
        (MISMATCH, report.amount_mismatch),
    ):
        writer.writerow([report.bank_code, day, status, "total", count, "", "", "", ""])
    writer.writerow(
        [
            report.bank_code,
            day,
            "suspense",
            "total",
            "",
            report.their_total,
            report.our_total,
            report.suspense_total,
            "",
        ]
    )
    return buffer.getvalue()
