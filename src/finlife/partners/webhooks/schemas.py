from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class EndpointIn(BaseModel):
    url: str = Field(min_length=1, max_length=2048, description="https URL that receives the events")
    events: list[str] = Field(
        min_length=1, max_length=20, description="Event types to receive (see the catalogue in the README)"
    )


class EndpointOut(BaseModel):
    id: str
    url: str
    events: list[str]
    status: str  # active | disabled
    disabled_reason: str | None  # partner | gone | failing
    created_at: datetime
    disabled_at: datetime | None
    # After a rotation the previous secret still signs (beside the new one) until then.
    previous_secret_expires_at: datetime | None


class EndpointCreated(EndpointOut):
    secret: str = Field(description="whsec_…: shown this once; verify signatures with it")


class SecretRotated(BaseModel):
    id: str
    secret: str = Field(description="The new whsec_… secret, shown this once")
    previous_secret_expires_at: datetime


class DeliveryOut(BaseModel):
    id: str = Field(description="msg_…: the webhook-id header, the same on every attempt and replay")
    event_id: str
    event_type: str
    status: str  # pending | delivered | failed | cancelled
    attempts: int
    last_status_code: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
