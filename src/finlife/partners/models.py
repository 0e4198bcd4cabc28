"""Partners of the open API, the tokens they hold and the consents customers give them.

Secrets and tokens are never stored in clear: a client secret as an argon2 hash (it is checked once
per token request), a token as the SHA-256 of its random text (it is looked up on every call, and 256
random bits need no slow hash). Customers and accounts are named by their public ids, as every module
names another's rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # ptn_…
    client_id: Mapped[str] = mapped_column(String(32), unique=True)  # cli_…: what OAuth2 calls it
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(16))  # information | payment | ecommerce | developer | other
    contact: Mapped[str] = mapped_column(String(200), default="")
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    scopes: Mapped[list[str]] = mapped_column(JSON)  # the scopes it may ask for
    api_level: Mapped[str] = mapped_column(String(2))  # A1 product data only | A2 customer data and funds
    public_key: Mapped[str | None] = mapped_column(Text)  # Ed25519, for signed calls (PEM or base64)
    secret_hash: Mapped[str] = mapped_column(String(255))
    # After a rotation the previous secret keeps working until its grace period ends.
    previous_secret_hash: Mapped[str | None] = mapped_column(String(255))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(24))  # pending_approval | active | rejected | suspended
    created_by: Mapped[str] = mapped_column(String(32))  # the bank admin's user public id
    approved_by: Mapped[str | None] = mapped_column(String(32))  # another bank admin
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Consent(Base):
    """A customer's permission for a partner: what it may do, with which accounts, until when."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_customer", "customer_id", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # cns_…
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(32))  # set when the customer signs in
    # awaiting_authorisation → authorised | rejected, then revoked | expired
    status: Mapped[str] = mapped_column(String(24))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    account_ids: Mapped[list[str]] = mapped_column(JSON)  # deposit accounts' public ids
    channel: Mapped[str] = mapped_column(String(16))  # where the customer authorised it
    # payments:write: the daily total the customer allows without confirming each payment (fen).
    daily_payment_limit: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    authorised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # at most 90 days after authorisation
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(16))  # customer | partner | staff


class PartnerToken(Base):
    """An access or refresh token; ``family`` ties a refresh chain together so that reusing a rotated
    refresh token can revoke the whole family (OAuth 2.0 Security BCP §4.14)."""

    __tablename__ = "partner_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of the token
    kind: Mapped[str] = mapped_column(String(8))  # access | refresh
    family: Mapped[str] = mapped_column(String(32), index=True)
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"), index=True)
    consent_pk: Mapped[int | None] = mapped_column(BigId, ForeignKey("consents.id"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
