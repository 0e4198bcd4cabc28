"""Loans paid out on a chosen day, and days run one after another, for the servicing tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from finlife.kit.auth import Actor, Channel
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.schemas import BankPurpose
from finlife.lending import service as lending
from finlife.lending.servicing import DaySummary


def disburse_on(db: Database, loan_id: str, day: date) -> None:
    """Pay the loan out at noon (Shanghai) of ``day``: its value date and schedule start there."""
    clock.freeze(datetime(day.year, day.month, day.day, 4, tzinfo=UTC))
    try:
        with db.unit_of_work() as session:
            lending.disburse(session, Actor.system(Channel.BRANCH), loan_id)
    finally:
        clock.reset()


def run_days(db: Database, first: date, last: date) -> list[DaySummary]:
    out = []
    day = first
    while day <= last:
        out.append(lending.run_day(db, day))
        day += timedelta(days=1)
    return out


def loan(db: Database, loan_id: str) -> dict:  # type: ignore[type-arg]
    with db.unit_of_work() as session:
        return lending.get_loan(session, Actor.system(), loan_id).model_dump(mode="json")


def bank_balance(db: Database, purpose: BankPurpose) -> int:
    with db.unit_of_work() as session:
        account = ledger.bank_account(session, purpose)
        return ledger.balance(session, account.id).ledger
