"""The conditions under which the life service says no (codes and words are in kit/i18n)."""

from __future__ import annotations

from finlife.kit.errors import Conflict, Forbidden, RuleViolation


class LocationRequired(RuleViolation):
    """Sorting by distance needs the caller's latitude and longitude."""

    def __init__(self) -> None:
        super().__init__("location_required", field="lat")


class NotYourOrder(Forbidden):
    def __init__(self) -> None:
        super().__init__("not_your_order")


class AlreadyReviewed(Conflict):
    def __init__(self) -> None:
        super().__init__("already_reviewed")


class ReviewWindowClosed(RuleViolation):
    def __init__(self, days: int) -> None:
        super().__init__("review_window_closed", params={"days": days})


class AlreadyReplied(Conflict):
    def __init__(self) -> None:
        super().__init__("already_replied")
