"""An accepted offer of credit from takings: which merchant, on which day, what was borrowed and the
loan it became. One acceptance per merchant and day (the unique key stops a double click or two
devices from borrowing twice); the loan itself lives in lending."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Acceptance(Base):
    __tablename__ = "takings_credit_acceptances"
    __table_args__ = (UniqueConstraint("merchant_id", "offer_day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    offer_day: Mapped[date] = mapped_column(Date)
    takings: Mapped[int] = mapped_column(BigInteger)  # the window's settled takings the limit came from
    offered_limit: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    rate_bp: Mapped[int] = mapped_column(Integer)
    term_months: Mapped[int] = mapped_column(Integer)
    loan_id: Mapped[str | None] = mapped_column(String(32))  # set once lending has booked it
    accepted_by: Mapped[str] = mapped_column(String(32))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
