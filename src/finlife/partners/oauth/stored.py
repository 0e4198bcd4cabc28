"""A stored token as Authlib's endpoints see it (``TokenMixin``): the refresh grant, revocation and
introspection all look tokens up here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.partners.consents import service as consents
from finlife.partners.models import Partner, PartnerToken
from finlife.partners.oauth import scopes
from finlife.partners.tokens import find_token

KINDS = {"access_token": "access", "refresh_token": "refresh"}


@dataclass
class StoredToken:
    row: PartnerToken
    session: Session

    def check_client(self, client: Any) -> bool:
        return bool(self.row.partner_pk == client.partner.id)

    def get_scope(self) -> str:
        return scopes.join(self.row.scopes)

    def get_expires_in(self) -> int:
        return max(0, int((self.row.expires_at - clock.now()).total_seconds()))

    def is_expired(self) -> bool:
        return self.row.expires_at <= clock.now()

    def is_revoked(self) -> bool:
        """Revoked itself, or its consent no longer authorised (revoked, expired): either stops it."""
        if self.row.revoked_at is not None:
            return True
        return self.row.consent_pk is not None and consents.usable(self.session, self.row.consent_pk) is None

    def introspection(self) -> dict[str, Any]:
        """RFC 7662's answer for an active token: the partner's, the customer's (``sub``) under a
        consent, else the partner's client id."""
        partner = self.session.get(Partner, self.row.partner_pk)
        assert partner is not None  # a token's partner row is never deleted
        consent = consents.usable(self.session, self.row.consent_pk) if self.row.consent_pk else None
        answer: dict[str, Any] = {
            "active": True,
            "scope": self.get_scope(),
            "client_id": partner.client_id,
            "token_type": "Bearer" if self.row.kind == "access" else "refresh_token",
            "exp": int(self.row.expires_at.timestamp()),
            "iat": int(self.row.issued_at.timestamp()),
            "sub": consent.customer_id if consent is not None else partner.client_id,
        }
        if consent is not None:
            answer["consent_id"] = consent.public_id
        return answer


def lookup(session: Session, token: str, hint: str | None) -> StoredToken | None:
    """The token, of the hinted kind first (RFC 7009/7662: a wrong hint still finds it)."""
    kinds = ["access", "refresh"]
    if hint in KINDS:
        kinds.sort(key=lambda kind: kind != KINDS[hint])
    for kind in kinds:
        row = find_token(session, token, kind)
        if row is not None:
            return StoredToken(row, session)
    return None
