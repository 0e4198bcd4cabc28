"""Refunds above a threshold wait for the merchant owner's approval (maker and checker)."""

from finlife.kit.i18n import register
from finlife.payments.approvals.messages import MESSAGES

register(MESSAGES)
