"""What the partners' registration API reads and answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints


class PartnerKind(StrEnum):
    INFORMATION = "information"
    PAYMENT = "payment"
    ECOMMERCE = "ecommerce"
    DEVELOPER = "developer"
    OTHER = "other"


class PartnerScope(StrEnum):
    """What a partner may ask a customer (or, for ``accounts:open``, the bank) to let it do."""

    ACCOUNTS_READ = "accounts:read"
    TRANSACTIONS_READ = "transactions:read"
    PAYMENTS_WRITE = "payments:write"
    ACCOUNTS_OPEN = "accounts:open"
    LOANS_APPLY = "loans:apply"


class ApiLevel(StrEnum):
    """JR/T 0185's levels: A1 reads product data only; A2 reaches customer data and funds."""

    A1 = "A1"
    A2 = "A2"


class PartnerStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


MAX_REDIRECT_URIS = 10


class PartnerIn(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    kind: PartnerKind
    contact: str = Field(default="", max_length=200, description="Who to reach at the partner")
    redirect_uris: list[str] = Field(
        default_factory=list,
        max_length=MAX_REDIRECT_URIS,
        description="Absolute https URIs (http only for localhost and 127.0.0.1, partners' test apps)",
    )
    scopes: list[PartnerScope] = Field(default_factory=list, description="The scopes it may ask for")
    public_key: str | None = Field(
        default=None, max_length=2000, description="Ed25519 public key for signed calls: PEM or raw base64"
    )
    api_level: ApiLevel | None = Field(
        default=None, description="A1 (product data only) or A2; by default A2 when it asks customer scopes"
    )


class PublicKeyIn(BaseModel):
    public_key: str = Field(min_length=1, max_length=2000, description="Ed25519: PEM or raw base64")


class PartnerOut(BaseModel):
    id: str
    client_id: str
    name: str
    kind: PartnerKind
    contact: str
    redirect_uris: list[str]
    scopes: list[PartnerScope]
    api_level: ApiLevel
    public_key: str | None = Field(description="The registered Ed25519 key, as PEM")
    public_key_fingerprint: str | None = Field(description="SHA256:<base64> of the key's 32 bytes")
    status: PartnerStatus
    created_by: str
    approved_by: str | None
    created_at: datetime
    approved_at: datetime | None
    suspended_at: datetime | None
    previous_secret_valid_until: datetime | None = Field(
        description="After a rotation: until when the previous secret still works"
    )


class RegisteredPartnerOut(PartnerOut):
    client_secret: str | None = Field(
        description="Shown in this answer only and stored hashed; null in a replay (Idempotent-Replayed)"
    )


class PartnerSecretOut(BaseModel):
    client_id: str
    client_secret: str = Field(description="The new secret: shown in this answer only, stored hashed")
    previous_secret_valid_until: datetime | None


class PartnerCallOut(BaseModel):
    id: str
    method: str
    route: str
    path: str
    status: int
    latency_ms: int
    consent_id: str | None
    at: datetime
