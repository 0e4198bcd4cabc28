"""Accounts a partner asked to open for its users: pending until the person confirms their phone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class PartnerOpening(Base):
    __tablename__ = "partner_openings"
    __table_args__ = (Index("ix_partner_openings_partner", "partner_pk", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # pao_…
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"))
    # C2 personal information, kept until the account opens (the customer record then holds it).
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    phone: Mapped[str] = mapped_column(String(16))
    account_class: Mapped[str] = mapped_column(String(4))  # II | III
    bound_bank_code: Mapped[str] = mapped_column(String(16))
    bound_number: Mapped[str] = mapped_column(String(34))
    # When the latest one-time code went out (identity.one_time_codes keeps the code itself, under
    # this request's public id): a new one is sent at most once a minute.
    code_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(24))  # pending_verification | opened
    customer_id: Mapped[str | None] = mapped_column(String(32))
    account_id: Mapped[str | None] = mapped_column(String(32))
    account_number: Mapped[str | None] = mapped_column(String(32))  # masked: all a partner sees
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
