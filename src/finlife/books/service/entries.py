"""Entries the owner makes: expenses and other income, each under a category of the catalogue, with
an optional receipt picture; a mistake is reversed, never edited."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.books import catalogue as c
from finlife.books.errors import AmountInvalid, CategoryUnknown, EntryNotReversible, ReceiptInvalid
from finlife.books.models import BookEntry, BookReceipt
from finlife.books.schemas import CategoryOut, EntryIn, EntryOut, LineOut
from finlife.books.service.access import reader, writer
from finlife.books.service.journal import Draft, Posting, lines_of, write
from finlife.kit.auth import Actor
from finlife.kit.errors import NotFound
from finlife.kit.i18n import translate

RECEIPT_LIMIT = 2 * 1024 * 1024  # bytes: a phone's photo, resized by the page
# What a receipt may be, by the format Pillow reads in it (never by the name or the declared type).
RECEIPT_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
OWNER_KINDS = ("expense", "income")


def categories(session: Session, actor: Actor, merchant_id: str, language: str) -> list[CategoryOut]:
    """The catalogue's categories in the reader's language (the same for every merchant)."""
    reader(session, actor, merchant_id)
    kinds = (("expense", c.EXPENSE_CATEGORIES), ("income", c.INCOME_CATEGORIES))
    return [
        CategoryOut(kind=kind, key=key, name=translate(f"books.category.{kind}.{key}", language))
        for kind, keys in kinds
        for key in keys
    ]


def checked_receipt(data: bytes) -> str:
    """The picture's content type if it is a PNG, JPEG or WebP within the limit; 422 otherwise."""
    limit_kb = RECEIPT_LIMIT // 1024
    if not data or len(data) > RECEIPT_LIMIT:
        raise ReceiptInvalid(limit_kb)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind = RECEIPT_FORMATS.get(image.format or "")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ReceiptInvalid(limit_kb) from exc
    if kind is None:
        raise ReceiptInvalid(limit_kb)
    return kind


def _draft(merchant_id: str, actor: Actor, body: EntryIn) -> Draft:
    known = c.EXPENSE_CATEGORIES if body.kind == "expense" else c.INCOME_CATEGORIES
    if body.category not in known:
        raise CategoryUnknown(body.category)
    if body.amount <= 0:
        raise AmountInvalid()
    money = c.VIAS[body.via]
    sign = 1 if body.kind == "expense" else -1
    account = c.category_account(body.kind, body.category)
    lines = [Posting(account, sign * body.amount), Posting(money, -sign * body.amount)]
    return Draft(
        merchant_id=merchant_id,
        day=body.date,
        hour=0,
        kind=body.kind,
        lines=lines,
        category=body.category,
        note=body.note,
        created_by=actor.user_id,
    )


def create_entry(
    session: Session, actor: Actor, merchant_id: str, body: EntryIn, receipt: bytes | None = None
) -> EntryOut:
    """Book an owner's expense or income (a receipt picture is checked before anything is written)."""
    merchant_id = writer(session, actor, merchant_id)
    content_type = None if receipt is None else checked_receipt(receipt)
    entry = write(session, _draft(merchant_id, actor, body))
    assert entry is not None  # no source event: always written
    if receipt is not None and content_type is not None:
        session.add(BookReceipt(entry_pk=entry.id, content_type=content_type, data=receipt))
    details = {
        "kind": body.kind,
        "category": body.category,
        "amount": body.amount,
        "date": body.date.isoformat(),
    }
    audit.record(
        session,
        actor,
        "books.entry_created",
        subject_type="book_entry",
        subject_id=entry.public_id,
        details=details,
    )
    session.flush()
    return _out(session, entry)


def reverse_entry(session: Session, actor: Actor, merchant_id: str, entry_id: str) -> EntryOut:
    """Reverse an owner's entry on its own day: the same lines, signs turned (409 if not reversible)."""
    merchant_id = writer(session, actor, merchant_id)
    entry = _load(session, merchant_id, entry_id)
    taken = session.execute(select(BookEntry.id).where(BookEntry.reverses_pk == entry.id)).first()
    if entry.kind not in OWNER_KINDS or taken is not None:
        raise EntryNotReversible()
    lines = [Posting(line.account, -line.amount) for line in lines_of(session, entry.id)]
    draft = Draft(
        merchant_id=merchant_id,
        day=entry.day,
        hour=0,
        kind="reversal",
        lines=lines,
        category=entry.category,
        note=entry.note,
        created_by=actor.user_id,
        reverses_pk=entry.id,
    )
    reversal = write(session, draft)
    assert reversal is not None
    audit.record(
        session,
        actor,
        "books.entry_reversed",
        subject_type="book_entry",
        subject_id=entry.public_id,
        details={"reversal": reversal.public_id},
    )
    return _out(session, reversal)


def list_entries(session: Session, actor: Actor, merchant_id: str, start: date, end: date) -> list[EntryOut]:
    """The book's entries of the days ``start``–``end``, newest first (at most 500)."""
    merchant_id = reader(session, actor, merchant_id)
    stmt = (
        select(BookEntry)
        .where(BookEntry.merchant_id == merchant_id, BookEntry.day >= start, BookEntry.day <= end)
        .order_by(BookEntry.day.desc(), BookEntry.id.desc())
        .limit(500)
    )
    return [_out(session, entry) for entry in session.execute(stmt).scalars()]


def receipt_of(session: Session, actor: Actor, merchant_id: str, entry_id: str) -> tuple[bytes, str]:
    merchant_id = reader(session, actor, merchant_id)
    entry = _load(session, merchant_id, entry_id)
    receipt = session.get(BookReceipt, entry.id)
    if receipt is None:
        raise NotFound("receipt")
    return receipt.data, receipt.content_type


def _load(session: Session, merchant_id: str, entry_id: str) -> BookEntry:
    entry = session.execute(
        select(BookEntry).where(BookEntry.public_id == entry_id, BookEntry.merchant_id == merchant_id)
    ).scalar_one_or_none()
    if entry is None:
        raise NotFound("book_entry")
    return entry


def _out(session: Session, entry: BookEntry) -> EntryOut:
    reversed_id = None
    if entry.reverses_pk is not None:
        reversed_id = session.execute(
            select(BookEntry.public_id).where(BookEntry.id == entry.reverses_pk)
        ).scalar_one()
    has_receipt = session.execute(
        select(BookReceipt.entry_pk).where(BookReceipt.entry_pk == entry.id)
    ).first()
    return EntryOut(
        id=entry.public_id,
        merchant_id=entry.merchant_id,
        kind=entry.kind,
        category=entry.category,
        date=entry.day,
        note=entry.note,
        store_id=entry.store_id,
        reverses=reversed_id,
        has_receipt=has_receipt is not None,
        created_at=entry.created_at,
        lines=[LineOut(account=line.account, amount=line.amount) for line in lines_of(session, entry.id)],
    )
