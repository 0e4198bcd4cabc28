"""The segment form of ``/bank/segments/new``: marketing staff build a rule from rows (a fact, an
operator, a value) joined by "all of", "any of" or "none of", and never type JSON. Values are read
the way people write them (yuan with two decimals for money, the names of lifecycle stages and
channels in either language); a refusal of the rule's check comes back to the row it concerns.
Rules made through the API may nest deeper: ``describe`` puts any rule into words for the pages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from finlife.insights.schemas import Lifecycle
from finlife.insights.segment_rules import CATEGORY_FACT
from finlife.kit.auth import Channel
from finlife.kit.i18n import translate
from finlife.merchants.pages import CATEGORIES

ROWS = 4  # condition rows on the form; a rule needs at least one filled
NAME_LONGEST = 64  # as SegmentIn takes it
JOINS = ("all", "any", "none")
OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains")
LANGUAGES = ("zh-CN", "en")
MONEY = re.compile(r"[0-9]{1,11}(?:\.[0-9]{1,2})?")
WHOLE = re.compile(r"-?[0-9]{1,9}")
LIST_SEPARATORS = re.compile(r"[,，、;；]")
# How each fact's value is written: money in yuan, whole numbers, a stage or a channel by its name,
# a district as it is spelt in the stores' addresses.
KIND_OF = {
    "lifecycle": "lifecycle",
    "preferred_channel": "channel",
    "districts": "district",
    "rfm.r": "number",
    "rfm.f": "number",
    "rfm.m": "number",
    "payments_90d": "number",
    "recency_days": "number",
    "spend_30d": "money",
    "spend_90d": "money",
}
NAMED = {
    "lifecycle": [stage.value for stage in Lifecycle],
    "channel": [channel.value for channel in Channel],
}


def fact_kind(fact: str) -> str | None:
    if CATEGORY_FACT.fullmatch(fact):
        return "money"
    return KIND_OF.get(fact)


def _name_key(kind: str, code: str) -> str:
    return f"ui.insights.lifecycle.{code}" if kind == "lifecycle" else f"ui.channel.{code}"


def fact_label(fact: str, language: str) -> str:
    matched = CATEGORY_FACT.fullmatch(fact)
    if matched:
        period, category = matched.groups()
        words = translate(f"ui.category.{category}", language)
        return translate(f"ui.segment.fact.spend_{period}_in", language, {"category": words})
    return translate(f"ui.segment.fact.{fact}", language)


def fact_choices(language: str) -> list[tuple[str, str]]:
    """Every fact a row may test, as (code, words), in the order the form lists them."""
    facts = list(KIND_OF)
    facts += [f"spend_{period}.{category}" for period in ("90d", "30d") for category in CATEGORIES]
    return [(fact, fact_label(fact, language)) for fact in facts]


def value_words(kind: str, value: object, language: str) -> str:
    """A value as the form and the pages show it (money in yuan, names instead of codes)."""
    if isinstance(value, list):
        return "、".join(value_words(kind, item, language) for item in value)
    if kind == "money" and isinstance(value, int):
        return str((Decimal(value) / 100).quantize(Decimal("0.01")))
    if kind in NAMED and isinstance(value, str) and value in NAMED[kind]:
        return translate(_name_key(kind, value), language)
    return str(value)


def _one_value(kind: str, text: str) -> object:
    """One value as written on the form; ValueError when it is not one."""
    text = text.strip()
    if kind == "money":
        if not MONEY.fullmatch(text):
            raise ValueError(text)
        return int(Decimal(text) * 100)
    if kind == "number":
        if not WHOLE.fullmatch(text):
            raise ValueError(text)
        return int(text)
    if kind in NAMED:
        for code in NAMED[kind]:
            names = {code} | {translate(_name_key(kind, code), lang) for lang in LANGUAGES}
            if text.casefold() in {name.casefold() for name in names}:
                return code
        raise ValueError(text)
    if not text or len(text) > 64:
        raise ValueError(text)
    return text


def parse_value(kind: str, op: str, text: str) -> object:
    if op == "in":
        parts = [part for part in LIST_SEPARATORS.split(text) if part.strip()]
        if not parts:
            raise ValueError(text)
        return [_one_value(kind, part) for part in parts]
    return _one_value(kind, text)


@dataclass
class SegmentForm:
    """What was typed, the rule built from it, and the errors by field (``value_2``, ``name`` …)."""

    name: str
    join: str
    rows: list[tuple[str, str, str]]
    rule: dict[str, Any] | None = None
    errors: dict[str, str] = field(default_factory=dict)
    filled: list[int] = field(default_factory=list)  # the form rows behind the rule's conditions

    def row_of(self, path: str) -> tuple[str, str]:
        """The form field a rule path concerns (``rule.all[1].value`` → ``value_<row>``)."""
        matched = re.search(r"\[(\d+)\](?:\.(fact|op|value))?$", path)
        if matched is None or int(matched.group(1)) >= len(self.filled):
            return "rule", path
        return f"{matched.group(2) or 'value'}_{self.filled[int(matched.group(1))]}", path


def read_form(
    name: str, join: str, facts: Sequence[str], ops: Sequence[str], values: Sequence[str], language: str
) -> SegmentForm:
    """Build the rule from the form's rows; rows without a fact are left out."""
    rows = [
        (
            facts[i] if i < len(facts) else "",
            ops[i] if i < len(ops) else "",
            values[i] if i < len(values) else "",
        )
        for i in range(ROWS)
    ]
    form = SegmentForm(name=name.strip(), join=join if join in JOINS else "all", rows=rows)
    if not form.name:
        form.errors["name"] = translate("ui.segment.name_required", language)
    elif len(form.name) > NAME_LONGEST:
        form.errors["name"] = translate("ui.segment.name_too_long", language, {"n": NAME_LONGEST})
    conditions = []
    for index, (fact, op, text) in enumerate(rows):
        if not fact:
            continue
        kind = fact_kind(fact)
        if kind is None:
            form.errors[f"fact_{index}"] = translate("ui.segment.fact_unknown", language)
            continue
        if op not in OPERATORS:
            form.errors[f"op_{index}"] = translate("ui.segment.op_unknown", language)
            continue
        try:
            value = parse_value(kind, op, text)
        except ValueError:
            form.errors[f"value_{index}"] = translate(f"ui.segment.value_hint.{kind}", language)
            continue
        conditions.append({"fact": fact, "op": op, "value": value})
        form.filled.append(index)
    if not conditions and not any(key.startswith(("fact_", "op_", "value_")) for key in form.errors):
        form.errors["rule"] = translate("ui.segment.no_condition", language)
    if form.errors:
        return form
    form.rule = {"not": {"any": conditions}} if form.join == "none" else {form.join: conditions}
    return form


def describe(rule: Mapping[str, Any], language: str) -> str:
    """A rule in words: "生命周期 等于 流失预警 且 近 90 天消费 ≥ 500.00"."""
    if "all" in rule or "any" in rule:
        key = "all" if "all" in rule else "any"
        parts = [describe(child, language) for child in rule[key]]
        joined = translate(f"ui.segment.joiner.{key}", language).join(parts)
        return f"({joined})" if len(parts) > 1 else joined
    if "not" in rule:
        return translate("ui.segment.not", language, {"rule": describe(rule["not"], language)})
    fact = str(rule.get("fact", ""))
    kind = fact_kind(fact) or "text"
    return " ".join(
        [
            fact_label(fact, language),
            translate(f"ui.segment.op.{rule.get('op')}", language),
            value_words(kind, rule.get("value"), language),
        ]
    )


def form_values(form: SegmentForm | None) -> dict[str, Any]:
    """The form's fields to fill it again after a refusal (empty rows on a fresh form)."""
    if form is None:
        return {"name": "", "join": "all", "rows": [("", "gte", "")] * ROWS}
    return {"name": form.name, "join": form.join, "rows": form.rows}
