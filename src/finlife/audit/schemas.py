from __future__ import annotations

from datetime import datetime
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
