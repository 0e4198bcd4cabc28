"""Merchants, stores, staff and terminals in and out of the API, and the facts other modules read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator


class MerchantStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"


class MemberRole(StrEnum):
    OWNER = "owner"
    CASHIER = "cashier"


@dataclass(frozen=True)
class MerchantAccess:
    """The caller's access to one merchant (see service.merchant_access)."""

    merchant_id: str  # mer_…
    role: str  # "owner" | "cashier" | "staff" (bank staff reading)
    store_ids: frozenset[str] | None  # None = every store of the merchant
    status: str  # "pending" | "active" | "rejected"


# Degrees as a JSON number or a string, read exactly (Decimal) and kept in micro-degrees.
Coordinate = Annotated[Decimal, Field(allow_inf_nan=False, examples=["31.230416"])]


class MerchantApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    legal_name: str = Field(min_length=1, max_length=128, examples=["上海好味餐饮有限公司"])
    credit_code: str = Field(max_length=32, examples=["91110000600037341L"])
    mcc: str = Field(max_length=8, examples=["5812"])
    category: str = Field(min_length=1, max_length=32, examples=["restaurant"])
    settlement_account_id: str = Field(max_length=32)
    contact: str | None = Field(default=None, max_length=64)
    # Bank staff applying on a customer's behalf name the customer's login; customers leave it out.
    owner_user_id: str | None = Field(default=None, max_length=32)


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


class MerchantOut(BaseModel):
    id: str
    legal_name: str
    credit_code: str
    mcc: str
    category: str
    contact: str | None
    status: MerchantStatus
    owner_user_id: str
    customer_id: str
    settlement_account_id: str
    pending_ledger_account_id: str | None
    reject_reason: str | None
    applied_at: datetime
    decided_at: datetime | None


class MerchantFacts(BaseModel):
    """What other modules' rules need to know about a merchant."""

    id: str
    legal_name: str
    mcc: str
    status: MerchantStatus
    pending_ledger_account_id: str | None
    settlement_account_id: str


class StoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    address: str = Field(min_length=1, max_length=200)
    district: str = Field(min_length=1, max_length=32, examples=["徐汇区"])
    latitude: Coordinate
    longitude: Coordinate
    category: str = Field(min_length=1, max_length=32)
    opening_hours: str = Field(max_length=16, examples=["10:00-22:00"])


class StoreChangesIn(BaseModel):
    """What the owner changes of a store: only the fields sent, each as strict as when it opened."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str | None = Field(default=None, min_length=1, max_length=64)
    address: str | None = Field(default=None, min_length=1, max_length=200)
    district: str | None = Field(default=None, min_length=1, max_length=32, examples=["徐汇区"])
    # Degrees as a JSON number or a string (exact, as when the store opened): not strict.
    latitude: Coordinate | None = Field(default=None, strict=False)
    longitude: Coordinate | None = Field(default=None, strict=False)
    category: str | None = Field(default=None, min_length=1, max_length=32)
    opening_hours: str | None = Field(default=None, max_length=16, examples=["10:00-22:00"])

    @model_validator(mode="after")
    def _no_nulls(self) -> StoreChangesIn:
        # A store always has each of these: null cannot mean "remove", so it is refused, not ignored.
        nulls = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        if nulls:
            raise ValueError(f"{nulls[0]} may not be null")
        return self


class StoreOut(BaseModel):
    id: str
    merchant_id: str
    name: str
    address: str
    district: str
    latitude: str  # degrees, six decimals
    longitude: str
    category: str
    opening_hours: str
    status: str
    created_at: datetime


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    # Length is a business rule (422 weak_password), not a schema rule, so the code is stable.
    password: str = Field(max_length=128)
    name: str = Field(min_length=1, max_length=64)
    store_ids: list[str] = Field(min_length=1, max_length=100)


class StaffStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"  # the owner disabled them: no sign-in, no access to the merchant


class StaffOut(BaseModel):
    id: str
    merchant_id: str
    user_id: str
    username: str
    name: str
    role: MemberRole
    store_ids: list[str] | None  # None: every store (the owner)
    status: StaffStatus
    created_at: datetime


class StaffPasswordOut(BaseModel):
    """A new password for a cashier, given once: shown to the owner to hand over, never stored."""

    staff: StaffOut
    temporary_password: str


class TerminalIn(BaseModel):
    """Nothing to choose: the bank assigns the terminal's id (a ``terminal_id`` sent is refused, 422)."""

    model_config = ConfigDict(extra="forbid")


class TerminalOut(BaseModel):
    terminal_id: str
    store_id: str
    merchant_id: str
    status: str
