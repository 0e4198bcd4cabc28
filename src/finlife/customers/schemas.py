"""Customer records in and out: sign-up, branch creation, identity verification, the signed-in view."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from finlife.kit.auth import Role


class KycLevel(StrEnum):
    REGISTERED = "registered"
    VERIFIED_REMOTE = "verified_remote"
    VERIFIED_IN_PERSON = "verified_in_person"


class CustomerStatus(StrEnum):
    ACTIVE = "active"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class SignupIn(BaseModel):
    phone: str = Field(max_length=32, examples=["13912345678"])
    # Length is a business rule (422 weak_password), not a schema rule, so the code is stable.
    password: str = Field(max_length=128)
    name: str = Field(min_length=1, max_length=64)


class CustomerCreateIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    phone: str = Field(max_length=32)
    id_number: str | None = Field(default=None, max_length=32)


class VerificationIn(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    id_number: str = Field(max_length=32, examples=["11010519491231002X"])


class SignInUnlockIn(BaseModel):
    id_number: str = Field(max_length=32, description="The ID document the customer presents at the counter")


class CustomerOut(BaseModel):
    id: str
    name: str
    phone: str
    id_number: str | None
    kyc_level: KycLevel
    status: CustomerStatus
    gender: Gender | None
    birth_date: date | None
    created_at: datetime
    verified_at: datetime | None
    # True when phone and ID number are masked (and the birth date withheld) for this reader.
    masked: bool


class MeOut(BaseModel):
    """The signed-in user: the customer's fields at top level (null for staff logins) and the login."""

    id: str | None
    name: str | None
    phone: str | None
    id_number: str | None
    kyc_level: KycLevel | None
    status: CustomerStatus | None
    gender: Gender | None
    birth_date: date | None
    created_at: datetime | None
    verified_at: datetime | None
    user_id: str
    username: str | None
    roles: list[Role]


class CustomerFacts(BaseModel):
    """What other modules' rules need to know about a customer (no personal data)."""

    id: str
    name: str
    kyc_level: KycLevel
    status: CustomerStatus
    birth_date: date | None = None  # from the verified resident ID (lending's age rule)


class InteractionOut(BaseModel):
    id: str
    customer_id: str
    channel: str
    action: str
    actor_user_id: str | None
    at: datetime
    details: dict[str, Any]


class UnlockRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=64, description="The frozen login: the customer's phone number")


class UnlockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(max_length=64)
    code: str = Field(max_length=12, description="The code sent to the phone on the customer record")
    # Length is a business rule (422 weak_password), not a schema rule, so the code is stable.
    new_password: str | None = Field(
        default=None, max_length=128, description="A new password, if the owner wants one"
    )
