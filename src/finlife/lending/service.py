"""Lending's public face."""

from finlife.lending.applications import (
    approve,
    record_documents,
    reject,
    sign,
    submit,
    verify_identity,
    withdraw,
)
from finlife.lending.disbursement import disburse
from finlife.lending.prepayment import prepay
from finlife.lending.products import create_product, list_products, list_rates, publish_rate, set_escrow
from finlife.lending.reading import get_application, get_loan, list_loans
from finlife.lending.servicing import DaySummary, classify, run_day, to_service
from finlife.lending.write_off import write_off

__all__ = [
    "DaySummary",
    "approve",
    "classify",
    "create_product",
    "disburse",
    "get_application",
    "get_loan",
    "list_loans",
    "list_products",
    "list_rates",
    "prepay",
    "publish_rate",
    "record_documents",
    "reject",
    "run_day",
    "set_escrow",
    "sign",
    "submit",
    "to_service",
    "verify_identity",
    "withdraw",
    "write_off",
]
