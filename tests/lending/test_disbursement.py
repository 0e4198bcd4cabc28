"""Disbursement: to the developer's escrow or the customer, one balanced entry, once however often asked."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from finlife.kit.auth import Actor, Channel
from finlife.kit.db import Database
from finlife.ledger.models import JournalEntry
from finlife.lending import service as lending
from finlife.settings import Settings
from tests.factories import headers
from tests.lending.support import Lender, count, events, trial_balance_total
from tests.partners.factories import make_partner


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Lender:
    return Lender(client, db, settings)


def disbursements(db: Database) -> int:
    return count(db, JournalEntry, JournalEntry.kind == "loan_disbursement")


def test_paid_to_the_customers_account_with_the_fee_taken(bank: Lender) -> None:
    product = bank.product(fee=200_00)
    borrower = bank.borrower(deposit=500_00)
    loan_id = bank.to_signed(borrower, product, amount=50_000_00)
    loan = bank.act(bank.teller, loan_id, "disburse").json()
    assert loan["status"] == "disbursed" and loan["principal_outstanding"] == 50_000_00
    assert loan["disbursed_to"] == borrower.account_id
    assert bank.balance(borrower.account_id) == 500_00 + 50_000_00 - 200_00
    assert len(loan["schedule"]) == 12 and all(line["due_date"] for line in loan["schedule"])
    assert trial_balance_total(bank.db) == 0
    assert "loan.disbursed" in [t for t, _ in events(bank.db, "loan.")]


def test_the_schedule_booked_is_the_one_shown_before_signing(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    applied = bank.apply(
        borrower.token, product, borrower.account_id, amount=80_000_00, term_months=24
    ).json()
    bank.act(bank.officer(), applied["id"], "approve")
    bank.act(borrower.token, applied["id"], "sign")
    booked = bank.act(bank.teller, applied["id"], "disburse").json()["schedule"]
    assert [(x["principal"], x["interest"]) for x in booked] == [
        (x["principal"], x["interest"]) for x in applied["schedule_preview"]
    ]


def test_paid_to_the_developers_escrow(bank: Lender) -> None:
    developer = make_partner(bank.db, bank.settings, name="滨江置业")
    escrow_owner = bank.borrower()
    set_escrow = {"partner_id": developer.id, "account_id": escrow_owner.account_id}
    assert (
        bank.client.post(
            "/v1/loan-developer-escrows", json=set_escrow, headers=headers(bank.teller)
        ).status_code
        == 403
    )
    assert (
        bank.client.post(
            "/v1/loan-developer-escrows", json=set_escrow, headers=headers(bank.admin)
        ).status_code
        == 201
    )
    product = bank.product("mortgage")
    borrower = bank.borrower()
    home = {"price": 2_000_000_00, "address": "杭州市滨江区江南大道1号", "developer_partner_id": developer.id}
    response = bank.apply(
        borrower.token,
        product,
        borrower.account_id,
        amount=1_000_000_00,
        term_months=240,
        property=home,
        monthly_income=100_000_00,
    )
    loan_id = response.json()["id"]
    bank.act(bank.teller, loan_id, "identity-verification", channel="branch")
    bank.act(bank.officer(), loan_id, "approve")
    bank.act(borrower.token, loan_id, "sign")
    loan = bank.act(bank.teller, loan_id, "disburse").json()
    assert loan["disbursed_to"] == escrow_owner.account_id
    assert bank.balance(escrow_owner.account_id) == 1_000_000_00
    assert bank.balance(borrower.account_id) == 0
    assert trial_balance_total(bank.db) == 0


def test_a_developer_without_escrow_is_refused_and_nothing_moves(bank: Lender) -> None:
    developer = make_partner(bank.db, bank.settings)
    product = bank.product("mortgage")
    borrower = bank.borrower()
    home = {"price": 2_000_000_00, "address": "x", "developer_partner_id": developer.id}
    loan_id = bank.apply(
        borrower.token,
        product,
        borrower.account_id,
        amount=500_000_00,
        term_months=120,
        property=home,
        monthly_income=100_000_00,
    ).json()["id"]
    bank.act(bank.teller, loan_id, "identity-verification", channel="branch")
    bank.act(bank.officer(), loan_id, "approve")
    bank.act(borrower.token, loan_id, "sign")
    refused = bank.act(bank.teller, loan_id, "disburse")
    assert refused.status_code == 422 and refused.json()["code"] == "loan_escrow_missing"
    assert disbursements(bank.db) == 0


def test_an_unknown_developer_is_refused(bank: Lender) -> None:
    product = bank.product("mortgage")
    borrower = bank.borrower()
    home = {"price": 2_000_000_00, "address": "x", "developer_partner_id": "ptn_nobody"}
    refused = bank.apply(borrower.token, product, borrower.account_id, amount=500_000_00, property=home)
    assert refused.json()["code"] == "loan_developer_unknown"


def test_only_a_signed_loan_is_paid_and_twice_asked_pays_once(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    early = bank.act(bank.teller, loan_id, "disburse")
    assert early.status_code == 409 and early.json()["code"] == "loan_state_invalid"
    assert bank.act(borrower.token, loan_id, "disburse").status_code == 403
    bank.act(bank.officer(), loan_id, "approve")
    bank.act(borrower.token, loan_id, "sign")
    first = bank.act(bank.teller, loan_id, "disburse").json()
    second = bank.act(bank.teller, loan_id, "disburse").json()
    assert first == second
    assert disbursements(bank.db) == 1
    assert bank.balance(borrower.account_id) == 100_000_00


@pytest.mark.postgres_only
def test_two_disbursements_at_once_pay_once(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_ids = [bank.to_signed(borrower, product, amount=10_000_00) for _ in range(3)]
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def pay(loan_id: str) -> None:
        try:
            start.wait()
            with bank.db.unit_of_work() as session:
                lending.disburse(session, Actor.system(Channel.BRANCH), loan_id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=pay, args=(loan_id,)) for loan_id in loan_ids for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert disbursements(bank.db) == 3
    assert bank.balance(borrower.account_id) == 30_000_00
    with bank.db.unit_of_work() as session:
        kinds = session.execute(
            select(JournalEntry.details).where(JournalEntry.kind == "loan_disbursement")
        ).scalars()
        assert sorted(d["loan_id"] for d in kinds) == sorted(loan_ids)
    assert trial_balance_total(bank.db) == 0
