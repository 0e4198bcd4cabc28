"""The service centre's refusals (words in messages.py)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, Forbidden, RuleViolation


class CaseClosed(Conflict):
    """Nothing more is done in a closed case: a customer who comes back opens a new one (409)."""

    def __init__(self) -> None:
        super().__init__("case_closed")


class NotThisCustomer(RuleViolation):
    """The card, coupon or account is not the case's customer's (422)."""

    def __init__(self, field: str) -> None:
        super().__init__("not_case_customer", field=field)


class SameApprover(Forbidden):
    """Maker/checker: whoever asked for a restoration may not approve it too (403)."""

    code = "second_approver_required"


class RestorationDecided(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__("restoration_decided", params={"status": status})


class SearchTermRequired(RuleViolation):
    def __init__(self) -> None:
        super().__init__("service_search_term_required", field="phone")


class PeriodInvalid(RuleViolation):
    def __init__(self) -> None:
        super().__init__("service_period_invalid", field="to")
