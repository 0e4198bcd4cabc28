"""Partners' webhooks (Standard Webhooks): endpoints a partner subscribes to event types, the
event-stream consumer that turns committed events into deliveries (``fanout``), the rule of which
events a partner may hear of (``concerns``), and the worker that signs and sends them (``worker``).
CONTRIBUTING.md ("Webhooks") tells the design."""

from finlife.kit.i18n import register
from finlife.partners.webhooks.messages import MESSAGES

register(MESSAGES)
