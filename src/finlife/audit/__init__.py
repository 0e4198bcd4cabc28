"""Who did what, through which channel, when: the bank's audit trail."""

from finlife.audit.messages import MESSAGES
from finlife.kit.i18n import register

register(MESSAGES)
