"""Marketing: campaigns and their coupons (claimed, bought, redeemed at the cashier, restored), the
subsidies of merchant, branch and head office booked in the ledger, and business districts."""

from finlife.marketing import messages as _messages  # noqa: F401  (registers the module's words once)
