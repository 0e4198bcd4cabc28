"""Merchants: onboarding and approval, stores, staff and POS terminals, and who may see what."""

from finlife.kit.i18n import register
from finlife.merchants.messages import MESSAGES

register(MESSAGES)  # the package's own words, once, whichever of its modules is imported first
