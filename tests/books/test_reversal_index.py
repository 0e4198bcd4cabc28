"""An entry is reversed at most once, kept by a unique index over the reversals only: the entries the
books consumer writes for every sale (no ``reverses_pk``) add nothing to it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from finlife.books.service.journal import Draft, Posting, write_all
from finlife.kit.db import Database
from tests.plans import generic_plan, scans_of


def _draft(kind: str, reverses_pk: int | None = None) -> Draft:
    lines = [Posting("cash", 100), Posting("sales", -100)]
    return Draft(
        merchant_id="mer_x", day=date(2026, 12, 8), hour=9, kind=kind, lines=lines, reverses_pk=reverses_pk
    )


def test_many_entries_without_a_reversal_and_one_reversal_each(db: Database) -> None:
    with db.unit_of_work() as session:
        first, second = write_all(session, [_draft("expense"), _draft("expense")])
        write_all(session, [_draft("reversal", reverses_pk=first), _draft("reversal", reverses_pk=second)])
    with pytest.raises(IntegrityError), db.unit_of_work() as session:
        write_all(session, [_draft("reversal", reverses_pk=first)])


@pytest.mark.postgres_only
def test_only_reversals_are_in_the_index_and_a_reversal_is_still_found_through_it(db: Database) -> None:
    with db.unit_of_work() as session:
        predicate = session.execute(
            text(
                "SELECT pg_get_expr(indpred, indrelid) FROM pg_index"
                " WHERE indexrelid = 'uq_book_entries_reverses_pk'::regclass"
            )
        ).scalar_one()
    assert predicate == "(reverses_pk IS NOT NULL)"
    nodes = generic_plan(db, "SELECT id FROM book_entries WHERE reverses_pk = %(entry)s", {"entry": "7"})
    assert scans_of(nodes, "book_entries") in (["Index Scan"], ["Index Only Scan"], ["Bitmap Heap Scan"])
    assert "uq_book_entries_reverses_pk" in [node.get("Index Name") for node in nodes]
