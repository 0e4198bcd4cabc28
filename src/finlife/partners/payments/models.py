"""Payments a partner asked for under a customer's consent (``payments:write``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class PartnerPayment(Base):
    __tablename__ = "partner_payments"
    __table_args__ = (
        Index("ix_partner_payments_consent_day", "consent_pk", "business_day"),
        Index("ix_partner_payments_customer", "customer_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # ppy_…
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"))
    consent_pk: Mapped[int] = mapped_column(BigId, ForeignKey("consents.id"))
    customer_id: Mapped[str] = mapped_column(String(32))
    from_account_id: Mapped[str] = mapped_column(String(32))
    payee_name: Mapped[str] = mapped_column(String(140))
    payee_bank_code: Mapped[str | None] = mapped_column(String(16))  # None: an account at this bank
    payee_account_number: Mapped[str] = mapped_column(String(34))
    amount: Mapped[int] = mapped_column(BigId)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(140))
    # completed | sent (to another bank) | awaiting_confirmation | declined
    status: Mapped[str] = mapped_column(String(24))
    decline_reason: Mapped[str | None] = mapped_column(String(24))  # customer | expired | consent
    transfer_id: Mapped[str | None] = mapped_column(String(40))
    business_day: Mapped[date] = mapped_column(Date)  # Asia/Shanghai, for the consent's daily total
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirm_by: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
