"""The insights module's public face: the API, pages, the CLI and other modules call these functions."""

from finlife.insights.choices import my_preference, personalised, set_preference
from finlife.insights.facts import refresh_all
from finlife.insights.segments import (
    audience_members,
    create_segment,
    fact_values,
    get_segment,
    in_audience,
    list_segments,
    refresh_all_segments,
    refresh_segment,
    segment_exists,
    segment_members,
)
from finlife.insights.view import customer_timeline, customer_view, register_open_cases

# One refresh at a time across nodes (kit.leases): the scheduled `finlife insights refresh`.
REFRESH_LEASE = "insights.refresh"

__all__ = [
    "REFRESH_LEASE",
    "audience_members",
    "create_segment",
    "customer_timeline",
    "customer_view",
    "fact_values",
    "get_segment",
    "in_audience",
    "list_segments",
    "my_preference",
    "personalised",
    "refresh_all",
    "refresh_all_segments",
    "refresh_segment",
    "register_open_cases",
    "segment_exists",
    "segment_members",
    "set_preference",
]
