"""Writing off a loan classified as loss: officers only, with a reason, four eyes above the threshold;
principal and interest receivable go to loan losses in one balanced entry; partner and journey told."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger.schemas import BankPurpose
from finlife.lending.models import Loan
from finlife.settings import Settings
from tests.factories import headers, make_user, staff_token
from tests.lending.servicing_support import bank_balance, disburse_on, run_days
from tests.lending.support import Lender, events, trial_balance_total
from tests.web.forms import signed_in, submit


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Lender:
    return Lender(client, db, settings)


def _in_arrears(bank: Lender, **product: Any) -> str:
    """A loan whose borrower spent the money: a missed instalment, penalty and interest accrued."""
    borrower = bank.borrower()
    response = bank.apply(borrower.token, bank.product(**product), borrower.account_id, amount=24_000_00)
    loan_id: str = response.json()["id"]
    while bank.act(bank.officer(), loan_id, "approve").json()["status"] != "approved":
        pass  # a second officer above the product's threshold
    assert bank.act(borrower.token, loan_id, "sign").status_code == 200
    disburse_on(bank.db, loan_id, date(2027, 3, 15))
    assert bank.withdraw(borrower.account_id, 24_000_00).status_code == 201
    run_days(bank.db, date(2027, 3, 16), date(2027, 4, 25))
    return loan_id


def _classified_loss(bank: Lender, loan_id: str) -> None:
    """What a year more of run-day would leave: the loan over 360 days past due (classified 损失)."""
    with bank.db.unit_of_work() as session:
        session.execute(
            update(Loan).where(Loan.public_id == loan_id).values(days_past_due=400, classification="loss")
        )


def _write_off(bank: Lender, token: str, loan_id: str, reason: str = "债务人失联，诉讼终结") -> Any:
    return bank.client.post(f"/v1/loans/{loan_id}/write-off", json={"reason": reason}, headers=headers(token))


def test_a_loss_is_written_off_against_loan_losses(bank: Lender) -> None:
    loan_id = _in_arrears(bank)
    _classified_loss(bank, loan_id)
    before = bank.loan(loan_id)
    interest = bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE)  # this loan's alone
    assert before["principal_outstanding"] == 24_000_00 and interest > 0 and before["penalty_due"] > 0
    response = _write_off(bank, bank.officer(), loan_id)
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["status"] == "written_off" and after["principal_outstanding"] == 0
    assert after["write_off_reason"] == "债务人失联，诉讼终结" and after["penalty_due"] == 0
    assert {x["status"] for x in after["schedule"]} == {"written_off"}
    assert bank_balance(bank.db, BankPurpose.LOAN_INTEREST_RECEIVABLE) == 0
    assert bank_balance(bank.db, BankPurpose.LOAN_LOSSES) == 24_000_00 + interest
    assert trial_balance_total(bank.db) == 0
    told = [p for t, p in events(bank.db, "loan.written_off")]
    assert told == [told[0]] and told[0]["principal"] == 24_000_00 and told[0]["interest"] == interest
    journey = bank.client.get(f"/v1/journeys/{after['journey_id']}", headers=headers(bank.teller)).json()
    assert journey["steps"][-1]["name"] == "written_off" and journey["steps"][-1]["status"] == "done"
    # Off the books: run-day leaves it, a prepayment and a second write-off are refused.
    summary = run_days(bank.db, date(2027, 4, 26), date(2027, 4, 26))[0]
    assert summary.loans == 0 and bank.loan(loan_id)["status"] == "written_off"
    assert _write_off(bank, bank.officer(), loan_id).json()["code"] == "loan_state_invalid"
    assert bank.prepay(bank.teller, loan_id, 1_000_00, "shorten").status_code == 409


def test_refusals_change_nothing(bank: Lender) -> None:
    loan_id = _in_arrears(bank)
    not_yet = _write_off(bank, bank.officer(), loan_id)
    assert not_yet.status_code == 422 and not_yet.json()["code"] == "loan_write_off_not_loss"
    _classified_loss(bank, loan_id)
    marketer = staff_token(bank.client, bank.db, bank.settings, Role.HQ_MARKETING)
    assert _write_off(bank, marketer, loan_id).status_code == 403
    assert _write_off(bank, bank.officer(), loan_id, reason="").status_code == 422
    no_body = bank.client.post(f"/v1/loans/{loan_id}/write-off", json={}, headers=headers(bank.officer()))
    assert no_body.status_code == 422
    assert _write_off(bank, bank.officer(), "lon_unknown").status_code == 404
    assert bank.loan(loan_id)["status"] == "active" and bank.loan(loan_id)["write_off_approvals"] == 0
    assert events(bank.db, "loan.written_off") == []


def test_the_borrower_and_the_entrant_may_not(bank: Lender) -> None:
    borrower = bank.borrower()
    product = bank.product()
    entrant = bank.officer()
    body = {
        "customer_id": borrower.customer_id,
        "product_id": product,
        "amount": 24_000_00,
        "term_months": 12,
        "method": "equal_instalment",
        "repayment_account_id": borrower.account_id,
        "monthly_income": 50_000_00,
    }
    response = bank.client.post("/v1/loan-applications", json=body, headers=headers(entrant))
    assert response.status_code == 201, response.text
    loan_id = response.json()["id"]
    assert bank.act(bank.officer(), loan_id, "approve").status_code == 200
    assert bank.act(borrower.token, loan_id, "sign").status_code == 200
    disburse_on(bank.db, loan_id, date(2027, 3, 15))
    run_days(bank.db, date(2027, 3, 16), date(2027, 3, 17))
    _classified_loss(bank, loan_id)
    own = _write_off(bank, entrant, loan_id)
    assert own.status_code == 403 and own.json()["code"] == "loan_approver_is_entrant"
    assert _write_off(bank, borrower.token, loan_id).status_code == 403
    assert bank.loan(loan_id)["status"] == "active"


def test_above_the_threshold_two_officers_write_off(bank: Lender) -> None:
    loan_id = _in_arrears(bank, second_approval_above=10_000_00)
    _classified_loss(bank, loan_id)
    first = bank.officer()
    pending = _write_off(bank, first, loan_id)
    assert pending.status_code == 200 and pending.json()["status"] == "active"
    assert pending.json()["write_off_approvals"] == 1
    again = _write_off(bank, first, loan_id)
    assert again.status_code == 403 and again.json()["code"] == "loan_approver_already_approved"
    assert bank_balance(bank.db, BankPurpose.LOAN_LOSSES) == 0 and events(bank.db, "loan.written_off") == []
    done = _write_off(bank, bank.officer(), loan_id, reason="第二位审批人同意")
    assert (
        done.json()["status"] == "written_off" and done.json()["write_off_reason"] == "债务人失联，诉讼终结"
    )
    assert bank_balance(bank.db, BankPurpose.LOAN_LOSSES) > 24_000_00
    assert trial_balance_total(bank.db) == 0


def test_the_loan_page_offers_the_write_off_to_officers_of_a_loss(
    bank: Lender, client: TestClient, db: Database, settings: Settings
) -> None:
    loan_id = _in_arrears(bank)
    officer = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    page = f"/bank/loans/{loan_id}"
    assert f"{page}/write-off" not in officer.get(page).text  # not a loss yet
    _classified_loss(bank, loan_id)
    assert f"{page}/write-off" in officer.get(page).text
    no_reason = submit(officer, page, f"{page}/write-off", {"reason": " "})
    assert no_reason.status_code == 422 and "请填写核销原因" in no_reason.text
    done = submit(officer, page, f"{page}/write-off", {"reason": "债务人破产清算终结"})
    assert done.status_code == 303
    shown = officer.get(page).text
    assert "已核销" in shown and f"{page}/write-off" not in shown
