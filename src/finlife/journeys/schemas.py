from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class StepOut(BaseModel):
    name: str
    status: str  # pending | done | skipped
    channel: str | None
    by: str | None
    at: datetime | None


class JourneyOut(BaseModel):
    id: str
    kind: str
    subject_id: str
    customer_id: str
    steps: list[StepOut]
