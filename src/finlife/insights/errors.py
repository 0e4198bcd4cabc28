"""When insights says no: a segment rule it cannot read, a staff read without its reason, a bad cursor."""

from __future__ import annotations

from finlife.kit.errors import RuleViolation


class SegmentRuleInvalid(RuleViolation):
    """A node of a segment's rule is not understood; ``path`` is where (``rule.all[1].op``).

    ``code`` names what is wrong: an unknown fact, an unknown operator, a value the operator cannot
    compare with the fact, or a node that is none of all / any / not / a condition."""

    def __init__(self, code: str, path: str) -> None:
        super().__init__(code, field=path, params={"path": path}, extra={"path": path})


class ReasonRequired(RuleViolation):
    """Staff say why they open a customer's view: it is recorded in the audit log with the read."""

    def __init__(self) -> None:
        super().__init__("view_reason_required", field="reason")


class BadTimelineCursor(RuleViolation):
    def __init__(self) -> None:
        super().__init__("timeline_cursor_invalid", field="cursor")
