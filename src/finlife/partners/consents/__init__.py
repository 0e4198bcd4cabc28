"""Customers' consents to partners: opened by the OAuth2 authorization endpoint, authorised or
rejected on the consent screen, listed and revoked by the customer, seen by staff, expired when
their period ends. A revoked or expired consent stops every token issued under it at once (the
token resolver reads the consent on every call)."""

from finlife.kit.i18n import register
from finlife.partners.consents.messages import MESSAGES

register(MESSAGES)
