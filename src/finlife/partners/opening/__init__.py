"""Bring in: Class II/III accounts a partner opens for its users, confirmed by the person's
one-time code (see service)."""

from finlife.kit.i18n import register
from finlife.partners.opening.messages import MESSAGES

register(MESSAGES)  # the package's own words, once, whichever of its modules is imported first
