"""A group commit's postings go out as one statement (``ledger.combined``) and leave the book exactly
as the statements one by one would have: entries and postings in posting order, each posting's
balance after it, each account's final balance."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.models import JournalEntry, Posting
from finlife.ledger.schemas import EntryOut
from tests.kit.batching import in_one_batch
from tests.ledger.support import SYSTEM, cash_in, check_book, deposit_account

pytestmark = pytest.mark.postgres_only  # group commit is PostgreSQL's

AWKWARD_MEMO = 'a "quoted", {brace} \\ memo 中文'


def _post(payer: str, payee: str, amount: int, memo: str) -> Callable[[Session], EntryOut]:
    def work(session: Session) -> EntryOut:
        return ledger.post_pair(
            session,
            SYSTEM,
            debit=payer,
            credit=payee,
            amount=amount,
            currency="CNY",
            kind="transfer",
            memo=memo,
            details={"memo": memo, "n": amount},
        )

    return work


def test_a_batch_of_postings_is_one_statement_and_leaves_the_book_as_one_by_one(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with db.unit_of_work() as session:
        a, b, c = (deposit_account(session) for _ in range(3))
        for account in (a, b, c):
            cash_in(session, account, 1_000)
    moves = [(a, b, 100, "first"), (b, c, 30, AWKWARD_MEMO), (a, c, 5, ""), (c, a, 1, "last")]

    def prepare(session: Session, hints: Sequence[Any]) -> None:
        ledger.lock_accounts(session, [a, b, c])  # the batch remembers them: nothing read meanwhile

    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        entries = in_one_batch(db, [_post(*move) for move in moves], prepare=prepare)
    sent = [record.getMessage() for record in caplog.records]
    assert sum("INSERT INTO journal_entries" in sql for sql in sent) == 1

    # Deposits are credit-normal: paying out lowers the balance the posting shows.
    expected_after = [(900, 1_100), (1_070, 1_030), (895, 1_035), (1_034, 896)]
    assert [[p.balance_after for p in entry.postings] for entry in entries] == [
        list(pair) for pair in expected_after
    ]
    with db.unit_of_work() as session:
        stored = session.execute(
            select(JournalEntry.id, JournalEntry.public_id, JournalEntry.memo, JournalEntry.details)
            .where(JournalEntry.kind == "transfer")
            .order_by(JournalEntry.id)
        ).all()
        assert [row.public_id for row in stored] == [entry.id for entry in entries]
        assert [(row.memo, row.details) for row in stored] == [
            (memo, {"memo": memo, "n": amount}) for _, _, amount, memo in moves
        ]
        postings = session.execute(
            select(Posting.entry_id, Posting.amount, Posting.balance_after)
            .where(Posting.entry_id.in_([row.id for row in stored]))
            .order_by(Posting.id)
        ).all()
        by_entry = {row.id: n for n, row in enumerate(stored)}
        assert [(by_entry[p.entry_id], p.amount, p.balance_after) for p in postings] == [
            (n, sign * amount, after)
            for n, ((_, _, amount, _), pair) in enumerate(zip(moves, expected_after, strict=True))
            for sign, after in zip((1, -1), pair, strict=True)
        ]
        assert {account: ledger.balance(session, account).ledger for account in (a, b, c)} == {
            a: 896,
            b: 1_070,
            c: 1_034,
        }
        check_book(session)
