"""Lending: loan products, applications and decisions, disbursement, schedules and servicing.

The mortgage's journey (``finlife.journeys``) is defined here, once, at import.
"""

from finlife.journeys.definitions import define
from finlife.kit.i18n import register
from finlife.lending.events import LOAN_JOURNEY, LOAN_STEPS, MORTGAGE_JOURNEY, MORTGAGE_STEPS
from finlife.lending.messages import MESSAGES
from finlife.lending.page_messages import MESSAGES as PAGE_MESSAGES

register(MESSAGES)
register(PAGE_MESSAGES)
define(MORTGAGE_JOURNEY, MORTGAGE_STEPS)
define(LOAN_JOURNEY, LOAN_STEPS)
