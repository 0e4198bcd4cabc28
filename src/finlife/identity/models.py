from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        Index(
            "ix_users_session_generation_changed_at",
            "session_generation_changed_at",
            postgresql_where=text("session_generation_changed_at IS NOT NULL"),
            sqlite_where=text("session_generation_changed_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(JSON)
    # The customer this login belongs to (customers' public id); staff logins have none.
    customer_id: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set while the login may not sign in (a merchant's owner disabled their cashier).
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Tokens carry the generation they were issued in; "sign out everywhere" moves it on, so every
    # token issued before stops working (``identity.sessions``).
    session_generation: Mapped[int] = mapped_column(Integer, server_default="0", default=0)
    # When it last moved: each node reads the logins moved since its last look (``identity.sessions``).
    session_generation_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Device(Base):
    """A machine with its own credential (an ATM), registered by bank staff; its secret is argon2."""

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    branch: Mapped[str] = mapped_column(String(16))  # its cash vault's unit in the ledger
    label: Mapped[str] = mapped_column(String(80))
    secret_hash: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(32))  # the staff user's public id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInThrottle(Base):
    """Failed sign-ins of one source (client address) or one account (username), shared by every node.

    ``failures`` counts the failures of the current period (an account's restart at its owner's next
    success); from ``login_free_failures`` on, each failure makes the next attempt wait ``retry_at``.
    An account that reaches ``login_failure_cap`` is ``frozen`` until its owner unlocks it.
    """

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("scope", "subject"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))  # "source" | "account"
    subject: Mapped[str] = mapped_column(String(128))  # the client address, or the username
    failures: Mapped[int] = mapped_column(Integer, default=0)
    period_started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)


class PaymentPassword(Base):
    """A login's payment password (six digits, separate from the sign-in password, argon2 like it),
    asked before a transfer above the threshold; wrong tries in a row lock it for a while."""

    __tablename__ = "payment_passwords"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)  # users.public_id
    password_hash: Mapped[str] = mapped_column(String(255))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
