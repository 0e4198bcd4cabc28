"""A segment's rule: a small JSON condition tree over a customer's facts.

    {"all": [node, …]} | {"any": [node, …]} | {"not": node} | {"fact": name, "op": op, "value": v}

Facts: ``lifecycle`` and ``preferred_channel`` (text), ``districts`` (a list of text), ``rfm.r``,
``rfm.f``, ``rfm.m``, ``spend_30d``, ``spend_90d``, ``payments_90d``, ``recency_days`` (numbers; money
in fen) and ``spend_30d.<category>``, ``spend_90d.<category>`` (fen spent in one merchant category).
Operators: eq, ne, gt, gte, lt, lte (numbers), in (a list of values), contains (a list fact). A rule is
checked whole when the segment is created, and every bad node is reported with its path.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from finlife.insights.errors import SegmentRuleInvalid

TEXT_FACTS = frozenset({"lifecycle", "preferred_channel"})
LIST_FACTS = frozenset({"districts"})
NUMBER_FACTS = frozenset(
    {"rfm.r", "rfm.f", "rfm.m", "spend_30d", "spend_90d", "payments_90d", "recency_days"}
)
CATEGORY_FACT = re.compile(r"spend_(30d|90d)\.([a-z0-9_]{1,32})")
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}
ORDERED = frozenset({"gt", "gte", "lt", "lte"})
OPERATORS = frozenset(COMPARE) | {"in", "contains"}
MAX_DEPTH = 8
MAX_NODES = 64


def _kind(fact: object) -> str | None:
    if not isinstance(fact, str):
        return None
    if fact in TEXT_FACTS:
        return "text"
    if fact in LIST_FACTS:
        return "list"
    if fact in NUMBER_FACTS or CATEGORY_FACT.fullmatch(fact):
        return "number"
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value_fits(kind: str, op: str, value: object) -> bool:
    if op == "in":
        return (
            isinstance(value, list)
            and 0 < len(value) <= 50
            and all(_value_fits(kind, "eq", v) for v in value)
        )
    if op == "contains":
        return kind == "list" and isinstance(value, str)
    if kind == "number":
        return _is_number(value)
    return kind == "text" and isinstance(value, str) and op not in ORDERED


def _check_condition(node: Mapping[str, Any], path: str) -> None:
    if set(node) != {"fact", "op", "value"}:
        raise SegmentRuleInvalid("segment_bad_node", path)
    kind = _kind(node["fact"])
    if kind is None:
        raise SegmentRuleInvalid("segment_unknown_fact", f"{path}.fact")
    if node["op"] not in OPERATORS:
        raise SegmentRuleInvalid("segment_unknown_operator", f"{path}.op")
    if not _value_fits(kind, node["op"], node["value"]):
        raise SegmentRuleInvalid("segment_bad_value", f"{path}.value")


def check(node: object, path: str = "rule", depth: int = 0, seen: list[int] | None = None) -> None:
    """Raise ``SegmentRuleInvalid`` at the first node (depth first) that is not understood."""
    seen = seen if seen is not None else [0]
    seen[0] += 1
    if not isinstance(node, dict) or depth > MAX_DEPTH or seen[0] > MAX_NODES:
        raise SegmentRuleInvalid("segment_bad_node", path)
    if "fact" in node or "op" in node:
        _check_condition(node, path)
        return
    if len(node) != 1:
        raise SegmentRuleInvalid("segment_bad_node", path)
    ((key, inner),) = node.items()
    if key == "not":
        check(inner, f"{path}.not", depth + 1, seen)
    elif key in ("all", "any") and isinstance(inner, list) and inner:
        for index, child in enumerate(inner):
            check(child, f"{path}.{key}[{index}]", depth + 1, seen)
    else:
        raise SegmentRuleInvalid("segment_bad_node", path)


def fact_value(facts: Mapping[str, Any], name: str) -> Any:
    """A fact's value in a customer's stored facts (a category never spent in is 0)."""
    matched = CATEGORY_FACT.fullmatch(name)
    if matched:
        period, category = matched.groups()
        for row in facts.get("categories", []):
            if row["category"] == category:
                return row[f"spend_{period}"]
        return 0
    if name.startswith("rfm."):
        return facts.get("rfm", {}).get(name[4:])
    return facts.get(name)


def matches(node: Mapping[str, Any], facts: Mapping[str, Any]) -> bool:
    """Whether a customer's facts satisfy a rule already checked by ``check``."""
    if "all" in node:
        return all(matches(child, facts) for child in node["all"])
    if "any" in node:
        return any(matches(child, facts) for child in node["any"])
    if "not" in node:
        return not matches(node["not"], facts)
    value = fact_value(facts, node["fact"])
    op: str = node["op"]
    wanted = node["value"]
    if op == "in":
        return bool(value in wanted)
    if op == "contains":
        return isinstance(value, list) and wanted in value
    if value is None:  # no payment yet: no recency to compare
        return bool(op == "ne")
    return bool(COMPARE[op](value, wanted))
