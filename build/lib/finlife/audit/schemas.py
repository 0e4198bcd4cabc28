from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel


class AuditEventOut(BaseModel):
    id: str
    at: datetime
    actor_user_id: str | None
    actor_username: str | None
    channel: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]


class DayActivity(BaseModel):
    """One business day (Asia/Shanghai): how many audit events each channel recorded."""

    day: date
    by_channel: dict[str, int]  # only channels with at least one event
    total: int


class ChannelActivityOut(BaseModel):
    """Audit events counted by channel and business day, oldest day first, every day present."""

    start: date
    end: date
    days: list[DayActivity]
    by_channel: dict[str, int]  # the period's totals, busiest channel first
    total: int
