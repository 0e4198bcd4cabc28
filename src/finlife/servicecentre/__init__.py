"""The service centre: the call centre as a channel. Agents find a caller, open a case, act on it
(freeze a card, explain a refused payment, resend a code, restore a coupon with a second approval,
raise a limit review) and close it; first-contact resolution is measured from the cases."""

from finlife.kit.i18n import register
from finlife.servicecentre.messages import MESSAGES

register(MESSAGES)  # the package's own words, once, whichever of its modules is imported first
