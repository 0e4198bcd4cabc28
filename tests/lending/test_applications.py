"""Applications through the API: who may apply, every rule's refusal, the officers' four eyes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.lending.models import Loan
from finlife.settings import Settings
from tests.factories import headers, staff_token
from tests.lending.support import Lender, count, events


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Lender:
    return Lender(client, db, settings)


def test_a_customer_applies_and_sees_the_schedule_preview(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    response = bank.apply(borrower.token, product, borrower.account_id, amount=12_000_00, term_months=12)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "submitted"
    assert body["rate_bp"] == 310 + 100  # LPR 1y + the product's spread
    preview = body["schedule_preview"]
    assert len(preview) == 12 and sum(line["principal"] for line in preview) == 12_000_00
    assert body["journey_id"].startswith("jny_")
    assert [t for t, _ in events(bank.db, "loan.")] == ["loan.application_submitted"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"amount": 999_00}, "loan_amount_out_of_range"),
        ({"amount": 5_000_000_01}, "loan_amount_out_of_range"),
        ({"term_months": 5}, "loan_term_out_of_range"),
        ({"monthly_income": 1_000_00}, "loan_dti_exceeded"),
        ({"term_months": 360, "amount": 1_000_000_00, "monthly_income": 100_000_00}, "loan_age_beyond_limit"),
    ],
)
def test_each_rule_refuses_with_its_code(bank: Lender, fields: dict[str, int], code: str) -> None:
    product = bank.product()
    borrower = bank.borrower(birth="19700101")  # 56 at the suite's date: 56 + 30 years > 70
    response = bank.apply(borrower.token, product, borrower.account_id, **fields)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert count(bank.db, Loan) == 0


def test_a_method_the_product_does_not_offer(bank: Lender) -> None:
    product = bank.product(methods=["equal_principal"])
    borrower = bank.borrower()
    response = bank.apply(borrower.token, product, borrower.account_id, method="equal_instalment")
    assert response.json()["code"] == "loan_method_not_offered"


def test_loan_to_value_first_and_second_home(bank: Lender) -> None:
    product = bank.product("mortgage")
    borrower = bank.borrower()
    home = {"price": 2_000_000_00, "address": "上海市浦东新区锦绣路1号", "first_home": True}
    common = {"term_months": 240, "monthly_income": 100_000_00}
    # 70 % of the price on a first home passes, one fen more does not; 40 % on a second.
    ok = bank.apply(
        borrower.token, product, borrower.account_id, amount=1_400_000_00, property=home, **common
    )
    assert ok.status_code == 201, ok.text
    over = bank.apply(
        borrower.token, product, borrower.account_id, amount=1_400_000_01, property=home, **common
    )
    assert over.json()["code"] == "loan_ltv_exceeded"
    second = home | {"first_home": False}
    refused = bank.apply(
        borrower.token, product, borrower.account_id, amount=800_000_01, property=second, **common
    )
    assert refused.json()["code"] == "loan_ltv_exceeded"
    missing = bank.apply(borrower.token, product, borrower.account_id, amount=800_000_00, **common)
    assert missing.json()["code"] == "loan_property_required"


def test_dti_counts_the_loans_already_committed(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    # 12 months at 4.10 %: 100,000.00 ≈ 8,512 a month (17 % of 50,000.00), 150,000.00 ≈ 12,767
    # (43 % together); 100,000.00 more is 60 % > 50 %.
    first = bank.to_signed(borrower, product)
    assert first
    second = bank.apply(borrower.token, product, borrower.account_id, amount=150_000_00)
    assert second.status_code == 201
    bank.act(bank.officer(), second.json()["id"], "approve")
    third = bank.apply(borrower.token, product, borrower.account_id, amount=100_000_00)
    assert third.json()["code"] == "loan_dti_exceeded"


def test_the_repayment_account_must_be_the_applicants(bank: Lender) -> None:
    product = bank.product()
    borrower, other = bank.borrower(), bank.borrower()
    response = bank.apply(borrower.token, product, other.account_id)
    assert response.json()["code"] == "loan_repayment_account_invalid"


def test_a_teller_applies_for_a_customer_and_may_not_approve_it(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    teller = bank.officer()
    missing = bank.apply(teller, product, borrower.account_id)
    assert missing.json()["code"] == "loan_customer_required"
    response = bank.apply(teller, product, borrower.account_id, customer_id=borrower.customer_id)
    assert response.status_code == 201, response.text
    loan_id = response.json()["id"]
    own = bank.act(teller, loan_id, "approve")
    assert own.status_code == 403 and own.json()["code"] == "loan_approver_is_entrant"
    assert bank.act(teller, loan_id, "reject", {"reason": "x"}).json()["code"] == "loan_approver_is_entrant"
    approved = bank.act(bank.officer(), loan_id, "approve")
    assert approved.json()["status"] == "approved"


def test_above_the_threshold_two_officers_approve(bank: Lender) -> None:
    product = bank.product(second_approval_above=50_000_00)
    borrower = bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    first = bank.officer()
    once = bank.act(first, loan_id, "approve").json()
    assert (once["status"], once["approvals"], once["approvals_needed"]) == ("under_review", 1, 2)
    again = bank.act(first, loan_id, "approve")
    assert again.status_code == 403 and again.json()["code"] == "loan_approver_already_approved"
    assert bank.act(bank.officer(), loan_id, "approve").json()["status"] == "approved"
    assert [t for t, _ in events(bank.db, "loan.")][-2:] == ["loan.under_review", "loan.approved"]


def test_a_mortgage_needs_the_face_to_face_check(bank: Lender) -> None:
    product = bank.product("mortgage")
    borrower = bank.borrower()
    home = {"price": 3_000_000_00, "address": "上海市徐汇区1号", "first_home": True}
    loan_id = bank.apply(
        borrower.token,
        product,
        borrower.account_id,
        amount=1_000_000_00,
        term_months=240,
        property=home,
        monthly_income=100_000_00,
    ).json()["id"]
    refused = bank.act(bank.officer(), loan_id, "approve")
    assert refused.status_code == 422 and refused.json()["code"] == "loan_kyc_in_person_required"
    # The check is the branch's: a teller signed in at the call centre may not record it.
    remote = staff_token(bank.client, bank.db, bank.settings, Role.TELLER, channel="call_centre")
    assert bank.act(remote, loan_id, "identity-verification").status_code == 403
    checked = bank.act(bank.teller, loan_id, "identity-verification", channel="branch")
    assert checked.json()["status"] == "under_review"
    assert bank.act(bank.officer(), loan_id, "approve").json()["status"] == "approved"


def test_reject_needs_a_reason_and_ends_it(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    officer = bank.officer()
    assert bank.act(officer, loan_id, "reject", {"reason": ""}).status_code == 422
    rejected = bank.act(officer, loan_id, "reject", {"reason": "收入证明不足"})
    assert rejected.json()["status"] == "rejected"
    late = bank.act(borrower.token, loan_id, "sign")
    assert late.status_code == 409 and late.json()["code"] == "loan_state_invalid"


def test_withdrawn_before_signing_not_after(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    assert bank.act(borrower.token, loan_id, "withdraw").json()["status"] == "withdrawn"
    signed = bank.to_signed(borrower, product)
    assert bank.act(borrower.token, signed, "withdraw").json()["code"] == "loan_state_invalid"


def test_customers_do_not_approve_and_others_do_not_see(bank: Lender) -> None:
    product = bank.product()
    borrower, stranger = bank.borrower(), bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    assert bank.act(borrower.token, loan_id, "approve").status_code == 403
    seen = bank.client.get(f"/v1/loan-applications/{loan_id}", headers=headers(stranger.token))
    assert seen.status_code == 404
    marketing = staff_token(bank.client, bank.db, bank.settings, Role.HQ_MARKETING)
    assert bank.act(marketing, loan_id, "approve").status_code == 403


def test_products_and_rates_are_the_admins(bank: Lender) -> None:
    teller = bank.officer()
    body = {"name": "x", "effective_from": "2026-01-01", "rate_bp": 300}
    assert (
        bank.client.post(
            "/v1/loan-reference-rates", json=body | {"name": "lpr_1y"}, headers=headers(teller)
        ).status_code
        == 403
    )
    bad = bank.client.post(
        "/v1/loan-products",
        json={
            "name": "x",
            "kind": "consumer",
            "min_amount": 10,
            "max_amount": 5,
            "min_term_months": 1,
            "max_term_months": 2,
            "reference_rate": "lpr_1y",
            "spread_bp": 0,
            "methods": ["equal_principal"],
        },
        headers=headers(bank.admin),
    )
    assert bad.status_code == 422 and bad.json()["code"] == "loan_product_range_invalid"
    no_ltv = bank.client.post(
        "/v1/loan-products",
        json={
            "name": "x",
            "kind": "mortgage",
            "min_amount": 1,
            "max_amount": 5,
            "min_term_months": 1,
            "max_term_months": 2,
            "reference_rate": "lpr_5y",
            "spread_bp": 0,
            "methods": ["equal_principal"],
        },
        headers=headers(bank.admin),
    )
    assert no_ltv.json()["code"] == "loan_product_ltv_required"


def test_the_rate_is_the_reference_in_force_plus_the_spread_fixed_at_signing(bank: Lender) -> None:
    from finlife.kit.clock import clock

    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    bank.act(bank.officer(), loan_id, "approve")
    bank.rate("lpr_1y", 300, clock.business_day())  # a new LPR published today
    signed = bank.act(borrower.token, loan_id, "sign").json()
    assert signed["rate_bp"] == 300 + 100
    bank.rate("lpr_1y", 280, clock.business_day())  # corrected after signing: the contract keeps its rate
    assert bank.loan(loan_id)["rate_bp"] == 400


def test_the_review_queue_and_a_customers_own_loans(bank: Lender) -> None:
    product = bank.product()
    mine, theirs = bank.borrower(), bank.borrower()
    first = bank.apply(mine.token, product, mine.account_id).json()["id"]
    other = bank.apply(theirs.token, product, theirs.account_id).json()["id"]
    bank.act(bank.officer(), other, "approve")
    own = bank.client.get("/v1/loans", headers=headers(mine.token)).json()
    assert [loan["id"] for loan in own] == [first]
    queue = bank.client.get("/v1/loans", params={"status": "submitted"}, headers=headers(bank.teller)).json()
    assert first in [loan["id"] for loan in queue] and other not in [loan["id"] for loan in queue]


def test_staff_sign_for_the_customer_only_at_the_branch(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    loan_id = bank.apply(borrower.token, product, borrower.account_id).json()["id"]
    bank.act(bank.officer(), loan_id, "approve")
    remote = staff_token(bank.client, bank.db, bank.settings, Role.TELLER, channel="call_centre")
    refused = bank.act(remote, loan_id, "sign")
    assert refused.status_code == 403 and refused.json()["code"] == "channel_not_allowed"
    signed = bank.act(bank.teller, loan_id, "sign", channel="branch")
    assert signed.json()["status"] == "signed"


def test_an_application_sent_twice_with_one_key_is_one(bank: Lender) -> None:
    product = bank.product()
    borrower = bank.borrower()
    body = {
        "product_id": product,
        "amount": 20_000_00,
        "term_months": 12,
        "method": "equal_principal",
        "repayment_account_id": borrower.account_id,
        "monthly_income": 30_000_00,
    }
    sent = [
        bank.client.post(
            "/v1/loan-applications",
            json=body,
            headers=headers(borrower.token, **{"Idempotency-Key": "apply-1"}),
        )
        for _ in range(2)
    ]
    assert [r.status_code for r in sent] == [201, 201]
    assert sent[0].json()["id"] == sent[1].json()["id"]
    assert sent[1].headers["Idempotent-Replayed"] == "true"
    assert count(bank.db, Loan) == 1
