from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class BoundAccountIn(BaseModel):
    """The person's Class I account: at this bank (our bank code) or at another bank."""

    model_config = ConfigDict(extra="forbid")

    bank_code: str = Field(min_length=1, max_length=16)
    account_number: str = Field(min_length=8, max_length=34, pattern="^[0-9]+$")


class OpeningIn(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_by_name=True, validate_by_alias=True)

    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(min_length=15, max_length=18)
    phone: str = Field(min_length=11, max_length=16)
    account_class: Literal["II", "III"] = Field(alias="class")
    bound_account: BoundAccountIn


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=12)


class BoundAccountOut(BaseModel):
    bank_code: str
    account_number: str  # masked


class OpeningOut(BaseModel):
    """What the partner sees: masked personal data; the account once opened."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id: str
    status: Literal["pending_verification", "opened"]
    name: str
    phone: str  # masked
    id_number: str  # masked
    account_class: str = Field(alias="class")
    bound_account: BoundAccountOut
    customer_id: str | None
    account_id: str | None
    account_number: str | None  # masked
    # Where the person sets a password for /app once the account is open.
    activation_path: str | None
    created_at: datetime
    opened_at: datetime | None
