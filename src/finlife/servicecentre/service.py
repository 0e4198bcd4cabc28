"""The service centre's public face: pages, the API and other modules call these functions."""

from finlife.servicecentre.actions import (
    ask_coupon_restoration,
    decide_restoration,
    explain_refusals,
    freeze_card,
    list_limit_reviews,
    list_restorations,
    raise_limit_review,
    resend_code,
    unfreeze_card,
)
from finlife.servicecentre.cases import (
    add_contact,
    close_case,
    find_customers,
    get_case,
    list_cases,
    open_case,
    open_cases,
)
from finlife.servicecentre.metrics import is_first_contact_resolution, service_metrics

__all__ = [
    "add_contact",
    "ask_coupon_restoration",
    "close_case",
    "decide_restoration",
    "explain_refusals",
    "find_customers",
    "freeze_card",
    "get_case",
    "is_first_contact_resolution",
    "list_cases",
    "list_limit_reviews",
    "list_restorations",
    "open_case",
    "open_cases",
    "raise_limit_review",
    "resend_code",
    "service_metrics",
    "unfreeze_card",
]
