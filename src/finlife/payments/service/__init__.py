"""The payments module's public face: the API and other modules call these functions."""

from finlife.payments.service.card import REASONS as DECLINE_REASONS
from finlife.payments.service.card_off_us import OffUsAsked, ask_off_us_first, give_up_off_us, issuer_fees
from finlife.payments.service.codes import issue_code
from finlife.payments.service.customer_view import (
    CodeState,
    CustomerPayment,
    customer_payment,
    customer_payments,
    payee_names,
    payment_code_state,
)
from finlife.payments.service.fees import Fee, merchant_fee
from finlife.payments.service.ledger_view import (
    MerchantActivity,
    RefundFact,
    TakingFact,
    merchant_activity,
    merchants_with_takings,
)
from finlife.payments.service.order_payers import OrderPayment, Visit, customer_visits, order_payments
from finlife.payments.service.qr import order_qr, pay_qr, store_qr
from finlife.payments.service.reading import declined_payments, list_payments, payment_summaries
from finlife.payments.service.refunds import refund_order
from finlife.payments.service.spending import StoreSpend, paid_before, payment_hours, spending_by_store
from finlife.payments.service.tenders import take_payment

__all__ = [
    "DECLINE_REASONS",
    "CodeState",
    "CustomerPayment",
    "Fee",
    "MerchantActivity",
    "OffUsAsked",
    "OrderPayment",
    "RefundFact",
    "StoreSpend",
    "TakingFact",
    "Visit",
    "ask_off_us_first",
    "customer_payment",
    "customer_payments",
    "customer_visits",
    "declined_payments",
    "give_up_off_us",
    "issue_code",
    "issuer_fees",
    "list_payments",
    "merchant_activity",
    "merchant_fee",
    "merchants_with_takings",
    "order_payments",
    "order_qr",
    "paid_before",
    "pay_qr",
    "payee_names",
    "payment_code_state",
    "payment_hours",
    "payment_summaries",
    "refund_order",
    "spending_by_store",
    "store_qr",
    "take_payment",
]
