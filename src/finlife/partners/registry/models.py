"""The partners' call log (JR/T 0185: every call a partner makes is kept at least six months)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class PartnerCall(Base):
    """One API call made with a partner's token, written after its answer has gone."""

    __tablename__ = "partner_calls"
    # A partner reads its own calls newest first; the retention prune deletes by age.
    __table_args__ = (
        Index("ix_partner_calls_partner", "partner_pk", "id"),
        Index("ix_partner_calls_at", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # pcl_…: the page cursor
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"))
    method: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(200))  # the route's template: /v1/accounts/{account_id}
    path: Mapped[str] = mapped_column(String(300))  # the path called, cut to the column's width
    status: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    consent_id: Mapped[str | None] = mapped_column(String(32))  # the consent a customer's token used
    at: Mapped[datetime] = mapped_column(UTCDateTime)
