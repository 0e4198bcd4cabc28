"""Go out: payments a partner makes under a customer's consent, confirmed by the customer in /app
above the thresholds (see service)."""

from finlife.kit.i18n import register
from finlife.partners.payments.messages import MESSAGES

register(MESSAGES)  # the package's own words, once, whichever of its modules is imported first
