"""The ``signature_nonces`` table: the nonces of verified signed calls, shared by every node."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, UTCDateTime


class SignatureNonce(Base):
    __tablename__ = "signature_nonces"

    # One row per (keyid, nonce): a second call with the same pair inside the window finds it taken,
    # whichever node it reaches. Rows older than the window are pruned (``nonces.prune``).
    keyid: Mapped[str] = mapped_column(String(128), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
