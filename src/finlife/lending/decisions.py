"""The rules an application must pass, each refusal with its own problem code (422).

Checked when it is submitted (amount and term in range, a method the product offers, property for a
mortgage, loan-to-value, debt-to-income with the new instalment, age plus term) and again when an
officer approves it, with what only a face-to-face check proves (a mortgage's KYC in person).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.customers import service as customers
from finlife.kit.errors import RuleViolation
from finlife.lending.models import Loan, LoanProduct
from finlife.lending.schedule import Method, schedule
from finlife.lending.schemas import ProductKind

MAX_AGE_AT_MATURITY = 70
# Loans that commit the customer's income (the DTI counts their instalments).
COMMITTED = ("approved", "signed", "disbursed", "active")


def check_terms(product: LoanProduct, amount: int, term_months: int, method: Method) -> None:
    if not product.min_amount <= amount <= product.max_amount:
        raise RuleViolation(
            "loan_amount_out_of_range",
            field="amount",
            params={"min": product.min_amount, "max": product.max_amount},
        )
    if not product.min_term_months <= term_months <= product.max_term_months:
        raise RuleViolation(
            "loan_term_out_of_range",
            field="term_months",
            params={"min": product.min_term_months, "max": product.max_term_months},
        )
    if method.value not in product.methods:
        raise RuleViolation("loan_method_not_offered", field="method")


def check_ltv(product: LoanProduct, amount: int, price: int | None, first_home: bool) -> None:
    if product.kind != ProductKind.MORTGAGE.value:
        return
    if price is None:
        raise RuleViolation("loan_property_required", field="property")
    limit = product.max_ltv_first_bp if first_home else product.max_ltv_second_bp
    ltv_bp = Decimal(amount) * 10000 / Decimal(price)
    if limit is not None and ltv_bp > limit:
        raise RuleViolation(
            "loan_ltv_exceeded",
            field="amount",
            params={"ltv": f"{ltv_bp / 100:.2f}", "max": f"{Decimal(limit) / 100:.2f}"},
        )


def monthly_commitment(amount: int, term_months: int, rate_bp: int, method: Method) -> int:
    """The highest instalment of a loan (the first, for 等额本金)."""
    return max(line.total for line in schedule(amount, term_months, rate_bp, method)[:2])


def check_dti(
    session: Session, product: LoanProduct, customer_id: str, new_instalment: int, monthly_income: int
) -> None:
    others = session.execute(
        select(Loan.amount, Loan.term_months, Loan.rate_bp, Loan.method).where(
            Loan.customer_id == customer_id, Loan.status.in_(COMMITTED)
        )
    ).all()
    committed = new_instalment + sum(monthly_commitment(a, t, r, Method(m)) for a, t, r, m in others)
    dti_bp = Decimal(committed) * 10000 / Decimal(monthly_income)
    if dti_bp > product.max_dti_bp:
        raise RuleViolation(
            "loan_dti_exceeded",
            field="monthly_income",
            params={"dti": f"{dti_bp / 100:.2f}", "max": f"{Decimal(product.max_dti_bp) / 100:.2f}"},
        )


def check_age(birth_date: date | None, today: date, term_months: int, *, required: bool) -> None:
    if birth_date is None:
        if required:
            raise RuleViolation("loan_identity_not_verified")
        return
    age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    years = -(-term_months // 12)
    if age + years > MAX_AGE_AT_MATURITY:
        raise RuleViolation("loan_age_beyond_limit", field="term_months", params={"max": MAX_AGE_AT_MATURITY})


def check_at_approval(
    session: Session, loan: Loan, product: LoanProduct, today: date, identity_checked: bool
) -> None:
    facts = customers.customer_facts(session, loan.customer_id)
    if product.kind == ProductKind.MORTGAGE.value and (
        facts.kyc_level != "verified_in_person" or not identity_checked
    ):
        raise RuleViolation("loan_kyc_in_person_required")
    check_age(facts.birth_date, today, loan.term_months, required=True)
