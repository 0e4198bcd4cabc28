"""Insights: one view of each customer built from every channel (the 360 view and its timeline), the
facts learnt from their payments and interactions (preferences, RFM, lifecycle), segments over those
facts for precise marketing, and the customer's choice to switch personalised marketing off."""

from finlife.insights import segment_messages
from finlife.insights.messages import MESSAGES
from finlife.kit.i18n import register

register(MESSAGES)
register(segment_messages.MESSAGES)
