"""Reversals: a mirror entry, at most once, never of a reversal, refused when the money is gone."""

from __future__ import annotations

from typing import Any

import pytest

from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError, NotFound
from finlife.ledger import service as ledger
from finlife.ledger.errors import BalanceCapExceeded, EntryAlreadyReversed, InsufficientFunds
from finlife.ledger.schemas import BankPurpose
from tests.ledger.support import (
    CLASS_III_CAP,
    SYSTEM,
    cash_in,
    check_book,
    deposit_account,
    snapshot,
    transfer,
    vault,
)


def _refused(db: Database, error: type[FinlifeError], work: Any) -> None:
    before = snapshot(db)
    with pytest.raises(error), db.unit_of_work() as session:
        work(session)
    assert snapshot(db) == before


def test_reversal_posts_the_mirror_image_and_leaves_the_original(db: Database) -> None:
    with db.unit_of_work() as session:
        payer, payee = deposit_account(session), deposit_account(session)
        cash_in(session, payer, 10_000)
        original_id = transfer(session, payer, payee, 4_000)
    with db.unit_of_work() as session:
        reversal = ledger.reverse(session, SYSTEM, original_id, memo="keyed in twice")
    with db.unit_of_work() as session:
        original = ledger.get_entry(session, original_id)
        stored = ledger.get_entry(session, reversal.id)
        assert ledger.balance(session, payer).ledger == 10_000
        assert ledger.balance(session, payee).ledger == 0
        check_book(session)
    assert stored == reversal
    assert (reversal.kind, reversal.reverses, reversal.memo) == ("reversal", original_id, "keyed in twice")
    assert reversal.details == {"reverses": original_id}
    assert [(p.account_id, p.amount) for p in reversal.postings] == [
        (p.account_id, -p.amount) for p in original.postings
    ]
    assert original.reverses is None and [p.balance_after for p in original.postings] == [6_000, 4_000]


def test_reversal_has_a_default_memo(db: Database) -> None:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        entry_id = cash_in(session, account, 100)
        assert ledger.reverse(session, SYSTEM, entry_id).memo == f"reversal of {entry_id}"


def test_an_entry_is_reversed_at_most_once(db: Database) -> None:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        entry_id = cash_in(session, account, 5_000)
        ledger.reverse(session, SYSTEM, entry_id)
    _refused(db, EntryAlreadyReversed, lambda s: ledger.reverse(s, SYSTEM, entry_id))


def test_a_reversal_cannot_itself_be_reversed(db: Database) -> None:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        entry_id = cash_in(session, account, 5_000)
        reversal_id = ledger.reverse(session, SYSTEM, entry_id).id
    _refused(db, EntryAlreadyReversed, lambda s: ledger.reverse(s, SYSTEM, reversal_id))


def test_reversing_a_deposit_whose_money_was_spent_is_refused(db: Database) -> None:
    with db.unit_of_work() as session:
        account, shop = deposit_account(session), deposit_account(session)
        deposit_id = cash_in(session, account, 5_000)
        transfer(session, account, shop, 4_000)
    _refused(db, InsufficientFunds, lambda s: ledger.reverse(s, SYSTEM, deposit_id))


def test_reversing_a_deposit_whose_money_is_held_is_refused(db: Database) -> None:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        deposit_id = cash_in(session, account, 5_000)
        ledger.place_hold(session, SYSTEM, account=account, amount=1, currency="CNY", expires_in=60)
    _refused(db, InsufficientFunds, lambda s: ledger.reverse(s, SYSTEM, deposit_id))


def test_reversal_respects_the_balance_cap_of_the_account_it_refills(db: Database) -> None:
    with db.unit_of_work() as session:
        capped = deposit_account(session, cap=CLASS_III_CAP)
        cash_in(session, capped, CLASS_III_CAP)
        withdrawal_id = ledger.post_pair(
            session,
            SYSTEM,
            debit=capped,
            credit=vault(session),
            amount=50_000,
            currency="CNY",
            kind="cash_withdrawal",
        ).id
        cash_in(session, capped, 50_000)
    _refused(db, BalanceCapExceeded, lambda s: ledger.reverse(s, SYSTEM, withdrawal_id))


def test_reversal_of_a_hold_capture_returns_the_money_to_the_payer(db: Database) -> None:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        cash_in(session, account, 5_000)
        clearing = ledger.bank_account(session, BankPurpose.CLEARING, "CNY").id
        hold = ledger.place_hold(
            session, SYSTEM, account=account, amount=2_000, currency="CNY", expires_in=60
        )
        captured = ledger.capture_hold(session, SYSTEM, hold.id, amount=2_000, default_destination=clearing)
    assert captured.capture_entry_id is not None
    with db.unit_of_work() as session:
        ledger.reverse(session, SYSTEM, captured.capture_entry_id)
        assert ledger.balance(session, account).available == 5_000
        assert ledger.get_hold(session, hold.id).status == "captured"  # the hold's story is not rewritten
        check_book(session)


def test_unknown_entry_is_not_found(db: Database) -> None:
    _refused(db, NotFound, lambda s: ledger.reverse(s, SYSTEM, "ent_nosuchentry"))
    _refused(db, NotFound, lambda s: ledger.get_entry(s, "ent_nosuchentry"))
