"""Recommendations: stores and live coupons for each customer, learnt from the payment history."""

from finlife.kit.i18n import register
from finlife.recommend.messages import MESSAGES

register(MESSAGES)  # the package's own words, once, whichever of its modules is imported first
