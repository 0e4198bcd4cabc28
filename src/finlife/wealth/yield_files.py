"""Yields from a file, as a fund's administrator sends them: CSV ``date,per_10k,seven_day`` (a header
line), one business day a line. Each line is published as ``POST /v1/funds/{id}/yields`` would;
a day already published is left as it was (a file sent twice publishes nothing twice)."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.errors import RuleViolation
from finlife.wealth.errors import YieldAlreadyPublished
from finlife.wealth.funds import publish_yield
from finlife.wealth.models import Fund
from finlife.wealth.schemas import YieldIn


def load_yields(session: Session, actor: Actor, fund: str, path: Path) -> tuple[int, int]:
    """(published, already there) for the fund named by its id or code."""
    from sqlalchemy import or_, select

    found = session.execute(
        select(Fund.public_id).where(or_(Fund.public_id == fund, Fund.code == fund))
    ).scalar()
    fund_id = found or fund
    published = skipped = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            try:
                body = YieldIn(
                    date=date.fromisoformat(line["date"].strip()),
                    per_10k=Decimal(line["per_10k"].strip()),
                    seven_day=Decimal(line["seven_day"].strip()),
                )
            except (KeyError, ValueError, InvalidOperation, AttributeError) as exc:
                raise RuleViolation("fund_yield_file_invalid", params={"line": str(line)}) from exc
            try:
                publish_yield(
                    session, actor, fund_id, day=body.date, per_10k=body.per_10k, seven_day=body.seven_day
                )
                published += 1
            except YieldAlreadyPublished:
                skipped += 1
    return published, skipped
