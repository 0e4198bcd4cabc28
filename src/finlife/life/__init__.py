"""The Life channel: stores nearby, reviews, share links, and the customer's own orders."""

from finlife.life import messages as _messages  # noqa: F401  (registers the module's words once)
