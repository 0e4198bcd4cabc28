"""The ``jobs`` table: one row per piece of long work, read by whichever process a poll reaches, and
taken over by another node when the one running it dies (``kit.jobs.takeover``)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class JobStatus(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    # Never stored: a running job whose heartbeat stopped reads so (its process died).
    INTERRUPTED = "interrupted"


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    # What the work is doing: a catalogue key and its parameters, so each viewer reads it in their language.
    stage: Mapped[str] = mapped_column(String(64))
    stage_params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # A refusal's stable code and parameters (FinlifeError), rendered from the catalogue when read.
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(32))
    # What a registered kind needs to run the work again on another node (kit.jobs.takeover): its
    # parameters and its starter. None: the job runs where it was started only.
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # How many times the work was started: 1, then one more each time a node takes it over.
    attempts: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    runner: Mapped[str | None] = mapped_column(String(160))  # the node and process running it now
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the heartbeat
