"""Authorization codes: issued when a customer approves a consent, exchanged once for tokens.

A code is stored as the SHA-256 of its random text, like a token. It stays after its exchange
(``used_at``) so that a second use is recognised and the tokens the first one gave are revoked
(RFC 6749 §4.1.2): ``family`` names them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class AuthorizationCode(Base):
    __tablename__ = "oauth_codes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    partner_pk: Mapped[int] = mapped_column(BigId, ForeignKey("partners.id"), index=True)
    consent_pk: Mapped[int] = mapped_column(BigId, ForeignKey("consents.id"), index=True)
    redirect_uri: Mapped[str] = mapped_column(Text)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    code_challenge: Mapped[str] = mapped_column(String(128))
    code_challenge_method: Mapped[str] = mapped_column(String(8))  # S256: the only one accepted
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    family: Mapped[str | None] = mapped_column(String(32))  # the tokens its exchange issued

    # What Authlib's AuthorizationCodeGrant asks of a code (AuthorizationCodeMixin).
    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return " ".join(self.scopes)
