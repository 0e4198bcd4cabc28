"""Partners as OAuth2 clients: who may authenticate, and what each may ask for.

A client secret is checked by the registry (``partners.registry.credentials.authenticate_client``:
the current secret, or the previous one during its rotation grace period, of an active partner).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.partners.models import Partner
from finlife.partners.oauth import scopes
from finlife.partners.registry.credentials import authenticate_client
from finlife.settings import Settings

ACTIVE = "active"
SECRET_BASIC = "client_secret_basic"  # noqa: S105 - the method's name


def active_partner(session: Session, client_id: str) -> Partner | None:
    return session.execute(
        select(Partner).where(Partner.client_id == client_id, Partner.status == ACTIVE)
    ).scalar_one_or_none()


@dataclass
class PartnerClient:
    """A partner as Authlib's ``ClientMixin`` sees it."""

    partner: Partner
    session: Session
    settings: Settings

    @property
    def client_id(self) -> str:
        return self.partner.client_id

    @property
    def reaches_customers(self) -> bool:
        return self.partner.api_level == scopes.CUSTOMER_DATA_LEVEL

    def get_client_id(self) -> str:
        return self.partner.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # every authorization request names its redirect URI, matched exactly

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.partner.redirect_uris

    def get_allowed_scope(self, scope: str | None) -> str | None:
        """At the authorization endpoint: the customer scopes asked for that this partner may hold
        (None, refused as ``invalid_scope``, when none remains)."""
        if not self.reaches_customers:
            return None
        allowed = [s for s in scopes.split(scope) if s in scopes.CUSTOMER and s in self.partner.scopes]
        return scopes.join(allowed) if allowed else None

    def partner_level_scopes(self, scope: str | None) -> list[str] | None:
        """At the token endpoint (client credentials): ``partner:self`` and the partner-level scopes
        asked for; None when something else is asked (customer scopes need a consent)."""
        asked = [s for s in scopes.split(scope) if s != scopes.PARTNER_SELF]
        if any(s not in scopes.PARTNER_LEVEL or s not in self.partner.scopes for s in asked):
            return None
        return sorted({scopes.PARTNER_SELF, *asked})

    def check_client_secret(self, client_secret: str) -> bool:
        found = authenticate_client(self.session, self.settings, self.partner.client_id, client_secret)
        return found is not None

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == SECRET_BASIC

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code" and self.reaches_customers

    def check_grant_type(self, grant_type: str) -> bool:
        if grant_type == "client_credentials":
            return True
        return grant_type in ("authorization_code", "refresh_token") and self.reaches_customers
