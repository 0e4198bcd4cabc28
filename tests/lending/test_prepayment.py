"""Early repayment in both modes, whole or part, with an Idempotency-Key; refused in arrears."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger.models import JournalEntry
from finlife.ledger.schemas import BankPurpose
from finlife.lending import service as lending
from finlife.lending.schedule import instalment_amount
from finlife.lending.schemas import PrepaymentIn, PrepaymentMode
from finlife.settings import Settings
from tests.lending.servicing_support import bank_balance, disburse_on, loan, run_days
from tests.lending.support import Lender, count, events, trial_balance_total


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Lender:
    return Lender(client, db, settings)


def prepayments(db: Database) -> int:
    return count(db, JournalEntry, JournalEntry.kind == "loan_prepayment")


def test_reduce_keeps_the_term_and_lowers_the_instalment(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.disbursed(borrower, product, amount=120_000_00, term_months=12)
    before = bank.loan(loan_id)["schedule"]
    key = "prepay-reduce-1"
    response = bank.prepay(borrower.token, loan_id, 60_000_00, "reduce", key=key)
    assert response.status_code == 201, response.text
    after = response.json()
    assert after["principal_outstanding"] == 60_000_00
    assert len(after["schedule"]) == 12
    assert sum(x["principal"] for x in after["schedule"]) == 120_000_00
    assert after["schedule"][0]["paid"] == 60_000_00  # prepaid today: no interest has accrued yet
    level = instalment_amount(60_000_00, 12, 410)
    assert all(x["principal"] + x["interest"] == level for x in after["schedule"][1:-1])
    assert level < before[1]["principal"] + before[1]["interest"]
    replay = bank.prepay(borrower.token, loan_id, 60_000_00, "reduce", key=key)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    assert prepayments(bank.db) == 1
    assert bank.balance(borrower.account_id) == 60_000_00
    assert trial_balance_total(bank.db) == 0
    assert (
        bank.prepay(borrower.token, loan_id, 1, "reduce", key=key).status_code == 422
    )  # another body, same key


def test_shorten_keeps_the_instalment_and_ends_sooner(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.disbursed(borrower, product, amount=120_000_00, term_months=24)
    level = bank.loan(loan_id)["schedule"][1]
    level_total = level["principal"] + level["interest"]
    after = bank.prepay(borrower.token, loan_id, 60_000_00, "shorten").json()
    assert len(after["schedule"]) < 24
    assert sum(x["principal"] for x in after["schedule"]) == 120_000_00
    assert all(x["principal"] + x["interest"] == level_total for x in after["schedule"][1:-1])
    assert after["schedule"][-1]["principal"] + after["schedule"][-1]["interest"] <= level_total


def test_equal_principal_shorten_keeps_the_monthly_principal(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.disbursed(borrower, product, amount=120_000_00, term_months=12, method="equal_principal")
    after = bank.prepay(borrower.token, loan_id, 30_000_00, "shorten").json()
    assert len(after["schedule"]) == 9  # 90,000.00 left at 10,000.00 a month
    assert all(x["principal"] == 10_000_00 for x in after["schedule"][1:])


def test_whole_prepayment_closes_the_loan(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.disbursed(borrower, product, amount=50_000_00, term_months=12)
    too_much = bank.prepay(borrower.token, loan_id, 50_000_01, "reduce")
    assert too_much.status_code == 422 and too_much.json()["code"] == "loan_prepayment_too_large"
    closed = bank.prepay(borrower.token, loan_id, 50_000_00, "reduce").json()
    assert closed["status"] == "closed" and closed["principal_outstanding"] == 0
    assert [x["status"] for x in closed["schedule"]] == ["paid"]
    assert bank.prepay(borrower.token, loan_id, 1_00, "reduce").json()["code"] == "loan_state_invalid"
    assert trial_balance_total(bank.db) == 0


def test_a_key_is_required_and_strangers_are_refused(bank: Lender) -> None:
    product = bank.product()
    borrower, stranger = bank.borrower(), bank.borrower()
    loan_id = bank.disbursed(borrower, product)
    missing = bank.client.post(
        f"/v1/loans/{loan_id}/prepayments",
        json={"amount": 100, "mode": "reduce"},
        headers={"Authorization": f"Bearer {borrower.token}"},
    )
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_missing"
    assert bank.prepay(stranger.token, loan_id, 1_00, "reduce").status_code == 404


def test_mid_period_collects_the_interest_accrued_so_far(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower(deposit=10_000_00)
    loan_id = bank.to_signed(borrower, product, amount=120_000_00, term_months=12)
    disburse_on(bank.db, loan_id, date(2027, 1, 10))
    run_days(bank.db, date(2027, 1, 11), date(2027, 1, 25))
    first = loan(bank.db, loan_id)["schedule"][0]
    accrued = first["interest"] * 15 // 31
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE) == accrued
    clock.freeze(datetime(2027, 1, 26, 4, tzinfo=UTC))
    try:
        with bank.db.unit_of_work() as session:
            lending.prepay(
                session, Actor.system(), loan_id, PrepaymentIn(amount=60_000_00, mode=PrepaymentMode.REDUCE)
            )
    finally:
        clock.reset()
    after = loan(bank.db, loan_id)
    now = after["schedule"][0]
    assert now["paid"] == 60_000_00 + first["interest"] * 16 // 31
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE) == 0
    paid = [p for _, p in events(bank.db, "lending.interest_paid")]
    assert paid[-1]["amount"] == first["interest"] * 16 // 31 and paid[-1]["date"] == "2027-01-26"
    run_days(bank.db, date(2027, 1, 26), date(2027, 2, 10))
    due = loan(bank.db, loan_id)["schedule"][0]
    assert due["status"] == "paid" and due["paid"] == due["principal"] + due["interest"]
    assert loan(bank.db, loan_id)["principal_outstanding"] == 120_000_00 - due["principal"]
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE) == 0
    assert trial_balance_total(bank.db) == 0


def test_refused_in_arrears(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.to_signed(borrower, product, amount=24_000_00, term_months=12)
    disburse_on(bank.db, loan_id, date(2027, 3, 15))
    assert bank.withdraw(borrower.account_id, 24_000_00).status_code == 201
    run_days(bank.db, date(2027, 3, 16), date(2027, 4, 16))
    assert bank.deposit(borrower.account_id, 30_000_00).status_code == 201
    refused = bank.prepay(borrower.token, loan_id, 1_000_00, "reduce")
    assert refused.status_code == 422 and refused.json()["code"] == "loan_in_arrears"
    assert prepayments(bank.db) == 0
