"""The book's settlement-account line against the bank statement (the settlement account's postings
in the bank's ledger), over a range of Asia/Shanghai days.

A book line written from an event names the bank's entry (a settlement's): it is matched by that id,
and an amount that differs is listed. What is left is matched by day and amount (an owner's expense
paid from the account, loan interest); what still has no partner is listed on its side — money the
owner moved that the book does not know yet, or a book line the bank never posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.books import catalogue as c
from finlife.books.models import BookEntry, BookLine
from finlife.books.schemas import DifferenceOut, ReconciliationOut
from finlife.books.service.access import reader
from finlife.books.service.reports import date_range
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.pagination import PageParams
from finlife.ledger import service as ledger
from finlife.merchants import service as merchants

PAGE = 100


@dataclass
class Movement:
    day: date
    amount: int  # + into the account
    entry_id: str | None  # the bank's entry id
    book_id: str | None = None
    memo: str = ""


def _bank_side(session: Session, account_id: str, start: date, end: date) -> list[Movement]:
    ledger_account = accounts.account_facts(session, account_id).ledger_account_id
    since = datetime.combine(start, time(0), tzinfo=clock.business_zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time(0), tzinfo=clock.business_zone).astimezone(UTC)
    found: list[Movement] = []
    cursor = None
    while True:
        page = ledger.statement(
            session, ledger_account, PageParams(limit=PAGE, starting_after=cursor), since=since
        )
        for line in page.data:
            if line.created_at < until:
                found.append(
                    Movement(clock.business_day(line.created_at), line.amount, line.id, memo=line.memo)
                )
        if not page.has_more or not page.data:
            return found
        cursor = page.data[-1].id


def _book_side(session: Session, merchant_id: str, start: date, end: date) -> list[Movement]:
    rows = session.execute(
        select(BookEntry.day, BookLine.amount, BookEntry.ledger_entry_id, BookEntry.public_id, BookEntry.kind)
        .join(BookLine, BookLine.entry_pk == BookEntry.id)
        .where(
            BookEntry.merchant_id == merchant_id,
            BookEntry.day >= start,
            BookEntry.day <= end,
            BookLine.account == c.BANK,
        )
        .order_by(BookEntry.id)
    )
    return [Movement(day, amount, ledger_id, book_id, kind) for day, amount, ledger_id, book_id, kind in rows]


def reconcile(
    session: Session, actor: Actor, merchant_id: str, start: date | None, end: date | None
) -> ReconciliationOut:
    merchant_id = reader(session, actor, merchant_id)
    start, end = date_range(start, end)
    account_id = merchants.merchant_facts(session, merchant_id).settlement_account_id
    bank = _bank_side(session, account_id, start, end)
    book = _book_side(session, merchant_id, start, end)
    differences: list[DifferenceOut] = []
    matched = 0
    by_entry = {m.entry_id: m for m in bank if m.entry_id}
    unmatched_book: list[Movement] = []
    for line in book:
        partner = by_entry.pop(line.entry_id, None) if line.entry_id else None
        if partner is None:
            unmatched_book.append(line)
            continue
        matched += 1
        if partner.amount != line.amount:
            differences.append(_difference("amount_differs", line, partner))
    left = list(by_entry.values())
    for line in unmatched_book:
        partner = next((m for m in left if m.day == line.day and m.amount == line.amount), None)
        if partner is None:
            differences.append(_difference("missing_in_bank", line, None))
        else:
            left.remove(partner)
            matched += 1
    differences += [_difference("missing_in_books", None, m) for m in sorted(left, key=lambda m: m.day)]
    return ReconciliationOut(
        merchant_id=merchant_id,
        date_from=start,
        date_to=end,
        book_total=sum(m.amount for m in book),
        bank_total=sum(m.amount for m in bank),
        matched=matched,
        differences=differences,
    )


def _difference(kind: str, book: Movement | None, bank: Movement | None) -> DifferenceOut:
    either = book or bank
    assert either is not None
    return DifferenceOut(
        kind=kind,
        date=either.day,
        ledger_entry_id=bank.entry_id if bank else (book.entry_id if book else None),
        book_entry_id=book.book_id if book else None,
        book_amount=book.amount if book else None,
        bank_amount=bank.amount if bank else None,
        memo=bank.memo if bank else (book.memo if book else ""),
    )
