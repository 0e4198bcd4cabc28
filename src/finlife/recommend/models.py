"""The trained recommendations: each customer's top stores with why, the popularity baseline, and when
the model was trained. Rewritten whole by each training (``finlife insights train``); the request only
reads a customer's few rows (see service)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class StorePick(Base):
    """One store among a customer's top picks, ranked from 1."""

    __tablename__ = "recommend_store_picks"
    __table_args__ = (Index("ix_recommend_store_picks_customer", "customer_id", "rank"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int] = mapped_column(Integer)
    store_id: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(16))  # favourite | taste | similar | nearby | popular
    params: Mapped[dict[str, Any]] = mapped_column(JSON)  # the reason's words: district, category, store
    favourite: Mapped[bool] = mapped_column(Boolean)  # a store they already pay at often


class PopularStore(Base):
    """The popularity baseline: stores by how many customers paid there, ranked from 1."""

    __tablename__ = "recommend_popular_stores"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    store_id: Mapped[str] = mapped_column(String(32))
    score: Mapped[float] = mapped_column(Float)


class Training(Base):
    """One training of the model: when, and on how much history."""

    __tablename__ = "recommend_trainings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    trained_at: Mapped[datetime] = mapped_column(UTCDateTime)
    customers: Mapped[int] = mapped_column(Integer)
    stores: Mapped[int] = mapped_column(Integer)
    visits: Mapped[int] = mapped_column(Integer)
