"""Marketing: campaigns and their coupons (claimed, bought, redeemed at the cashier, restored), the
subsidies of merchant, branch and head office booked in the ledger, and business districts."""

from finlife.kit.i18n import register
from finlife.marketing.messages import MESSAGES

register(MESSAGES)  # the package's own words, once, whichever of its modules is imported first
