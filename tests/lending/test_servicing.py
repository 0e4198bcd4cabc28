"""``loans run-day``: accrual, collection, arrears, penalty, classification, reminders; once per day."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from finlife.customers.models import Interaction
from finlife.kit.db import Database
from finlife.ledger.models import JournalEntry
from finlife.ledger.schemas import BankPurpose
from finlife.lending import service as lending
from finlife.lending import servicing
from finlife.lending.models import Loan, LoanDay
from finlife.settings import Settings
from tests.lending.servicing_support import bank_balance, disburse_on, loan, run_days
from tests.lending.support import Lender, count, events, trial_balance_total


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Lender:
    return Lender(client, db, settings)


def collections(db: Database) -> int:
    return count(db, JournalEntry, JournalEntry.kind == "loan_collection")


def test_across_month_ends_and_the_leap_day(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.to_signed(borrower, product, amount=60_000_00, term_months=6)
    disburse_on(bank.db, loan_id, date(2028, 1, 31))
    first = loan(bank.db, loan_id)
    assert [x["due_date"] for x in first["schedule"][:3]] == ["2028-02-29", "2028-03-31", "2028-04-30"]
    one, two = first["schedule"][0], first["schedule"][1]
    run_days(bank.db, date(2028, 2, 1), date(2028, 2, 28))
    # 28 of the period's 29 days accrued, nothing collected yet.
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE) == one["interest"] * 28 // 29
    assert collections(bank.db) == 0
    run_days(bank.db, date(2028, 2, 29), date(2028, 2, 29))
    after = loan(bank.db, loan_id)
    assert (
        after["schedule"][0]["status"] == "paid"
        and after["schedule"][0]["paid"] == one["principal"] + one["interest"]
    )
    assert after["principal_outstanding"] == 60_000_00 - one["principal"]
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE) == 0
    run_days(bank.db, date(2028, 3, 1), date(2028, 3, 31))
    after = loan(bank.db, loan_id)
    assert after["schedule"][1]["status"] == "paid"
    assert after["principal_outstanding"] == 60_000_00 - one["principal"] - two["principal"]
    assert after["status"] == "active" and after["days_past_due"] == 0 and after["classification"] == "normal"
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_INCOME) == one["interest"] + two["interest"]
    assert trial_balance_total(bank.db) == 0
    paid = [p for t, p in events(bank.db, "lending.interest_paid")]
    assert paid == [
        {
            "account_id": borrower.account_id,
            "loan_id": loan_id,
            "amount": one["interest"],
            "date": "2028-02-29",
        },
        {
            "account_id": borrower.account_id,
            "loan_id": loan_id,
            "amount": two["interest"],
            "date": "2028-03-31",
        },
    ]
    with bank.db.unit_of_work() as session:
        reminders = (
            session.execute(select(Interaction.details).where(Interaction.action == "loan.reminder_due"))
            .scalars()
            .all()
        )
    assert [r["due_date"] for r in reminders] == ["2028-02-29", "2028-03-31"]


def test_run_to_the_end_closes_the_loan(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower(deposit=5_000_00)  # enough for all the interest
    loan_id = bank.to_signed(borrower, product, amount=12_000_00, term_months=6, method="equal_principal")
    disburse_on(bank.db, loan_id, date(2027, 5, 10))
    run_days(bank.db, date(2027, 5, 11), date(2027, 11, 10))
    done = loan(bank.db, loan_id)
    assert done["status"] == "closed" and done["principal_outstanding"] == 0
    assert all(x["status"] == "paid" for x in done["schedule"])
    assert "loan.closed" in [t for t, _ in events(bank.db, "loan.")]
    assert trial_balance_total(bank.db) == 0


def test_a_missed_collection_goes_into_arrears_then_is_paid(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.to_signed(borrower, product, amount=24_000_00, term_months=12)
    disburse_on(bank.db, loan_id, date(2027, 3, 15))
    assert bank.withdraw(borrower.account_id, 24_000_00 - 500_00).status_code == 201  # spent the money
    due = loan(bank.db, loan_id)["schedule"][0]
    run_days(bank.db, date(2027, 3, 16), date(2027, 4, 15))
    missed = loan(bank.db, loan_id)
    assert missed["schedule"][0]["paid"] == 500_00 and missed["schedule"][0]["status"] == "overdue"
    assert bank.balance(borrower.account_id) == 0
    assert "loan.payment_missed" in [t for t, _ in events(bank.db, "loan.")]
    run_days(bank.db, date(2027, 4, 16), date(2027, 4, 25))
    late = loan(bank.db, loan_id)
    assert late["days_past_due"] == 10 and late["classification"] == "special_mention"
    overdue_principal = due["principal"] - max(0, 500_00 - due["interest"])
    assert late["penalty_due"] == 10 * servicing.daily_penalty(overdue_principal, 410, 50)
    with bank.db.unit_of_work() as session:
        overdue = (
            session.execute(select(Interaction.details).where(Interaction.action == "loan.reminder_overdue"))
            .scalars()
            .all()
        )
    assert [r["days_past_due"] for r in overdue] == [1, 7]
    assert bank.deposit(borrower.account_id, 5_000_00).status_code == 201
    run_days(bank.db, date(2027, 4, 26), date(2027, 4, 26))
    cured = loan(bank.db, loan_id)
    assert cured["days_past_due"] == 0 and cured["classification"] == "normal" and cured["penalty_due"] == 0
    assert cured["schedule"][0]["status"] == "paid"
    assert bank.balance(borrower.account_id) == 5_000_00 + 500_00 - (
        due["principal"]
        + due["interest"]
        + late["penalty_due"]
        + servicing.daily_penalty(overdue_principal, 410, 50)
    )
    assert trial_balance_total(bank.db) == 0


@pytest.mark.parametrize(
    ("dpd", "expected"),
    [
        (0, "normal"),
        (1, "special_mention"),
        (90, "special_mention"),
        (91, "substandard"),
        (270, "substandard"),
        (271, "doubtful"),
        (360, "doubtful"),
        (361, "loss"),
    ],
)
def test_classification_by_days_past_due(dpd: int, expected: str) -> None:
    assert lending.classify(dpd).value == expected


def test_a_day_run_twice_moves_nothing_twice_and_resumes(
    bank: Lender, monkeypatch: pytest.MonkeyPatch
) -> None:
    product = bank.product()
    loan_ids = []
    for _ in range(3):
        borrower = bank.borrower()
        loan_ids.append(bank.to_signed(borrower, product, amount=12_000_00, term_months=6))
    for loan_id in loan_ids:
        disburse_on(bank.db, loan_id, date(2027, 6, 1))
    run_days(bank.db, date(2027, 6, 2), date(2027, 6, 30))
    monkeypatch.setattr(servicing, "BATCH", 1)

    def stop_after_first(_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        lending.run_day(bank.db, date(2027, 7, 1), stop_after_first)
    with bank.db.unit_of_work() as session:
        marker = session.get(LoanDay, date(2027, 7, 1))
        assert marker is not None and marker.finished_at is None and marker.done_through_pk > 0
    assert collections(bank.db) == 1
    summary = lending.run_day(bank.db, date(2027, 7, 1))
    assert summary.loans == 2  # resumed after the first loan
    again = lending.run_day(bank.db, date(2027, 7, 1))
    assert again.loans == 0 and again.collected == 0
    assert collections(bank.db) == 3
    assert trial_balance_total(bank.db) == 0


def test_the_cli_runs_a_day(bank: Lender, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from finlife import cli

    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.to_signed(borrower, product, amount=12_000_00, term_months=6)
    disburse_on(bank.db, loan_id, date(2027, 8, 1))
    monkeypatch.setenv("FINLIFE_DATABASE_URL", settings.database_url)
    from finlife.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["loans", "run-day", "--date", "2027-08-02"])
        assert result.exit_code == 0, result.output
        assert "2027-08-02: 1 loans" in result.output
        assert CliRunner().invoke(cli.app, ["loans", "run-day", "--date", "2027-13-01"]).exit_code != 0
    finally:
        get_settings.cache_clear()
    assert count(bank.db, Loan, Loan.status == "active") == 1


@pytest.mark.postgres_only
def test_two_runs_at_once_collect_an_instalment_once(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.to_signed(borrower, product, amount=12_000_00, term_months=6)
    disburse_on(bank.db, loan_id, date(2027, 9, 1))
    run_days(bank.db, date(2027, 9, 2), date(2027, 9, 30))
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            lending.run_day(bank.db, date(2027, 10, 1))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert collections(bank.db) == 1
    assert loan(bank.db, loan_id)["schedule"][0]["status"] == "paid"
    assert trial_balance_total(bank.db) == 0
