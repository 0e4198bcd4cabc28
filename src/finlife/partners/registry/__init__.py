"""The partner registry: bank admins register partners and a second admin approves them; client
credentials (secret shown once, rotation with a grace period, suspension), the partners' call log,
the bank's partner pages and the partner console (/partner)."""

from finlife.kit.i18n import register
from finlife.partners.registry.messages import MESSAGES

register(MESSAGES)
