from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from finlife.kit.auth import Channel, Role


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int
    channel: Channel  # the channel the token is bound to; requests may repeat it in X-Channel or omit it


class DeviceKind(StrEnum):
    ATM = "atm"


class DeviceStatus(StrEnum):
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


# A branch's code names its cash vault in the ledger (``bank:cash_vault:<branch>:<currency>``).
BRANCH_PATTERN = r"^[A-Z0-9_]{2,16}$"


class DeviceIn(BaseModel):
    kind: DeviceKind
    branch: str = Field(pattern=BRANCH_PATTERN, description="The branch whose cash vault the device uses")
    label: str = Field(min_length=1, max_length=80)


class DeviceOut(BaseModel):
    id: str
    kind: DeviceKind
    branch: str
    label: str
    status: DeviceStatus
    created_at: datetime
    deactivated_at: datetime | None


class RegisteredDeviceOut(DeviceOut):
    secret: str | None = Field(
        description="The device's client secret: shown in this answer only, stored hashed; null in a "
        "replay of the request (Idempotent-Replayed)"
    )


class UserOut(BaseModel):
    id: str
    username: str
    roles: list[Role]
    customer_id: str | None


class PaymentPasswordIn(BaseModel):
    """A new payment password, proved by the old one, or (the first time) by the sign-in password."""

    model_config = ConfigDict(extra="forbid")

    new_password: str = Field(max_length=6, description="Six digits, not all alike nor a run (123456)")
    old_password: str | None = Field(default=None, max_length=6, description="To change one that is set")
    sign_in_password: str | None = Field(default=None, max_length=128, description="To set the first one")
