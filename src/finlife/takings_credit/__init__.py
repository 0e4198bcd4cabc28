"""Credit from takings: a merchant operating loan offered from the last 90 days of settled takings,
accepted by the owner and booked through lending."""

from finlife.kit.i18n import register
from finlife.takings_credit.messages import MESSAGES

register(MESSAGES)
