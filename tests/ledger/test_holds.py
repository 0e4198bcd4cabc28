"""Holds: place (available drops, ledger not), capture part or all once, void, expire with the clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError, NotFound
from finlife.ledger import service as ledger
from finlife.ledger.errors import (
    CaptureExceedsHold,
    CurrencyMismatch,
    HoldNotPending,
    InsufficientFunds,
    InvalidAmount,
)
from finlife.ledger.models import Hold
from finlife.ledger.schemas import BankPurpose
from tests.ledger.support import SYSTEM, cash_in, check_book, deposit_account, snapshot, transfer


def _funded(db: Database, amount: int) -> str:
    with db.unit_of_work() as session:
        account = deposit_account(session)
        if amount:
            cash_in(session, account, amount)
    return account


def _clearing(db: Database) -> str:
    with db.unit_of_work() as session:
        return ledger.bank_account(session, BankPurpose.CLEARING, "CNY").id


def _hold(db: Database, account: str, amount: int, *, expires_in: int = 600, **extra: Any) -> str:
    with db.unit_of_work() as session:
        return ledger.place_hold(
            session, SYSTEM, account=account, amount=amount, currency="CNY", expires_in=expires_in, **extra
        ).id


def _stored_status(session: Session, hold_id: str) -> str:
    status: str = session.execute(select(Hold.status).where(Hold.public_id == hold_id)).scalar_one()
    return status


def _refused(db: Database, error: type[FinlifeError], work: Any) -> FinlifeError:
    before = snapshot(db)
    with pytest.raises(error) as caught, db.unit_of_work() as session:
        work(session)
    assert snapshot(db) == before
    return caught.value


def _balance(db: Database, account: str) -> tuple[int, int, int]:
    with db.unit_of_work() as session:
        shown = ledger.balance(session, account)
        check_book(session)
    return shown.ledger, shown.held, shown.available


def test_hold_lowers_available_but_not_ledger(db: Database) -> None:
    account = _funded(db, 10_000)
    with db.unit_of_work() as session:
        hold = ledger.place_hold(
            session, SYSTEM, account=account, amount=3_000, currency="CNY", expires_in=600, reference="ord-1"
        )
    assert (hold.status, hold.amount, hold.captured, hold.reference) == ("pending", 3_000, 0, "ord-1")
    assert hold.account_id == account and hold.destination_id is None and hold.capture_entry_id is None
    assert _balance(db, account) == (10_000, 3_000, 7_000)


@pytest.mark.parametrize(
    ("amount", "expires_in", "error"),
    [
        (0, 600, InvalidAmount),
        (-5, 600, InvalidAmount),
        (True, 600, InvalidAmount),
        (100, 0, InvalidAmount),
        (10_001, 600, InsufficientFunds),
    ],
    ids=["zero", "negative", "bool", "no-lifetime", "more-than-available"],
)
def test_hold_is_refused(db: Database, amount: Any, expires_in: int, error: type[FinlifeError]) -> None:
    account = _funded(db, 10_000)
    _refused(
        db,
        error,
        lambda s: ledger.place_hold(
            s, SYSTEM, account=account, amount=amount, currency="CNY", expires_in=expires_in
        ),
    )


def test_holds_together_cannot_exceed_the_balance(db: Database) -> None:
    account = _funded(db, 10_000)
    _hold(db, account, 6_000)
    _refused(
        db,
        InsufficientFunds,
        lambda s: ledger.place_hold(s, SYSTEM, account=account, amount=4_001, currency="CNY", expires_in=60),
    )
    _hold(db, account, 4_000)
    assert _balance(db, account) == (10_000, 10_000, 0)


def test_hold_in_another_currency_or_to_a_foreign_destination_is_refused(db: Database) -> None:
    account = _funded(db, 10_000)
    with db.unit_of_work() as session:
        usd = deposit_account(session, currency="USD")
    _refused(
        db,
        CurrencyMismatch,
        lambda s: ledger.place_hold(s, SYSTEM, account=account, amount=1, currency="USD", expires_in=60),
    )
    _refused(
        db,
        CurrencyMismatch,
        lambda s: ledger.place_hold(
            s, SYSTEM, account=account, amount=1, currency="CNY", expires_in=60, destination=usd
        ),
    )


def test_partial_capture_moves_money_to_the_hold_destination_and_releases_the_rest(db: Database) -> None:
    account, merchant, clearing = _funded(db, 10_000), _funded(db, 0), _clearing(db)
    hold_id = _hold(db, account, 3_000, destination=merchant)
    with db.unit_of_work() as session:
        captured = ledger.capture_hold(session, SYSTEM, hold_id, amount=1_200, default_destination=clearing)
    assert (captured.status, captured.captured, captured.destination_id) == ("captured", 1_200, merchant)
    assert captured.capture_entry_id is not None
    assert _balance(db, account) == (8_800, 0, 8_800)
    assert _balance(db, merchant) == (1_200, 0, 1_200)
    with db.unit_of_work() as session:
        entry = ledger.get_entry(session, captured.capture_entry_id)
        assert entry.kind == "hold_capture" and entry.details == {"hold": hold_id}
        assert ledger.get_hold(session, hold_id) == captured


def test_full_capture_without_destination_goes_to_the_default(db: Database) -> None:
    account = _funded(db, 10_000)
    clearing = _clearing(db)
    hold_id = _hold(db, account, 10_000)
    with db.unit_of_work() as session:
        ledger.capture_hold(session, SYSTEM, hold_id, amount=10_000, default_destination=clearing)
    assert _balance(db, account) == (0, 0, 0)
    with db.unit_of_work() as session:
        assert ledger.balance(session, clearing).ledger == -10_000  # an asset credited


def test_a_hold_is_captured_at_most_once(db: Database) -> None:
    account, clearing = _funded(db, 10_000), _clearing(db)
    hold_id = _hold(db, account, 3_000)
    with db.unit_of_work() as session:
        ledger.capture_hold(session, SYSTEM, hold_id, amount=1_000, default_destination=clearing)
    error = _refused(
        db,
        HoldNotPending,
        lambda s: ledger.capture_hold(s, SYSTEM, hold_id, amount=1_000, default_destination=clearing),
    )
    assert error.extra == {"hold_status": "captured"}
    _refused(db, HoldNotPending, lambda s: ledger.void_hold(s, SYSTEM, hold_id))


@pytest.mark.parametrize(
    ("amount", "error"),
    [(3_001, CaptureExceedsHold), (0, InvalidAmount), (-1, InvalidAmount)],
    ids=["over", "zero", "negative"],
)
def test_capture_amount_is_checked(db: Database, amount: int, error: type[FinlifeError]) -> None:
    account, clearing = _funded(db, 10_000), _clearing(db)
    hold_id = _hold(db, account, 3_000)
    _refused(
        db,
        error,
        lambda s: ledger.capture_hold(s, SYSTEM, hold_id, amount=amount, default_destination=clearing),
    )


def test_void_releases_without_moving_money(db: Database) -> None:
    account = _funded(db, 10_000)
    hold_id = _hold(db, account, 3_000)
    with db.unit_of_work() as session:
        assert ledger.void_hold(session, SYSTEM, hold_id).status == "voided"
    assert _balance(db, account) == (10_000, 0, 10_000)
    _refused(db, HoldNotPending, lambda s: ledger.void_hold(s, SYSTEM, hold_id))


def test_unknown_hold_is_not_found(db: Database) -> None:
    _refused(db, NotFound, lambda s: ledger.void_hold(s, SYSTEM, "hld_nosuchhold"))
    _refused(db, NotFound, lambda s: ledger.get_hold(s, "hld_nosuchhold"))


def test_overdue_hold_no_longer_counts_and_is_released_on_the_next_posting(db: Database) -> None:
    account, other = _funded(db, 10_000), _funded(db, 0)
    hold_id = _hold(db, account, 8_000, expires_in=60)
    clock.advance(timedelta(seconds=61))
    # Nothing has touched the account yet: the row still says pending, the readers already don't.
    with db.unit_of_work() as session:
        assert _stored_status(session, hold_id) == "pending"
        assert ledger.get_hold(session, hold_id).status == "expired"
        assert ledger.balance(session, account).available == 10_000
    with db.unit_of_work() as session:
        transfer(session, account, other, 9_000)  # only possible once the hold is gone
    with db.unit_of_work() as session:
        assert _stored_status(session, hold_id) == "expired"
    assert _balance(db, account) == (1_000, 0, 1_000)


def test_overdue_hold_can_no_longer_be_captured_or_voided(db: Database) -> None:
    account, clearing = _funded(db, 10_000), _clearing(db)
    hold_id = _hold(db, account, 3_000, expires_in=60)
    clock.advance(timedelta(seconds=60))  # expiry is inclusive
    _refused(
        db,
        HoldNotPending,
        lambda s: ledger.capture_hold(s, SYSTEM, hold_id, amount=1, default_destination=clearing),
    )
    _refused(db, HoldNotPending, lambda s: ledger.void_hold(s, SYSTEM, hold_id))
    assert _balance(db, account) == (10_000, 0, 10_000)


def test_scheduler_sweep_expires_overdue_holds_on_every_account(db: Database) -> None:
    first, second = _funded(db, 1_000), _funded(db, 1_000)
    _hold(db, first, 500, expires_in=60)
    _hold(db, first, 100, expires_in=60)
    _hold(db, second, 200, expires_in=60)
    survivor = _hold(db, second, 300, expires_in=3_600)
    clock.advance(timedelta(minutes=5))
    with db.unit_of_work() as session:
        assert ledger.expire_overdue_holds(session) == 2
    with db.unit_of_work() as session:
        assert ledger.expire_overdue_holds(session) == 0
        assert ledger.get_hold(session, survivor).status == "pending"
    assert _balance(db, first) == (1_000, 0, 1_000)
    assert _balance(db, second) == (1_000, 300, 700)
