"""The payments module's public face: the API and other modules call these functions."""

from finlife.payments.service.card_off_us import OffUsAsked, ask_off_us_first, give_up_off_us, issuer_fees
from finlife.payments.service.codes import issue_code
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
from finlife.payments.service.reading import list_payments, payment_summaries
from finlife.payments.service.refunds import refund_order
from finlife.payments.service.tenders import take_payment

__all__ = [
    "Fee",
    "MerchantActivity",
    "OffUsAsked",
    "OrderPayment",
    "RefundFact",
    "TakingFact",
    "Visit",
    "ask_off_us_first",
    "customer_visits",
    "give_up_off_us",
    "issue_code",
    "issuer_fees",
    "list_payments",
    "merchant_activity",
    "merchant_fee",
    "merchants_with_takings",
    "order_payments",
    "order_qr",
    "pay_qr",
    "payment_summaries",
    "refund_order",
    "store_qr",
    "take_payment",
]
