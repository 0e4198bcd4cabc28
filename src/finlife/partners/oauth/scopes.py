"""The scopes partners ask for, and which need a customer's consent."""

from __future__ import annotations

PARTNER_SELF = "partner:self"  # the partner's own data: every client-credentials token carries it
# Partner-level scopes: they act for the partner, with no customer behind the call.
PARTNER_LEVEL = frozenset({"accounts:open"})
# Customer scopes: only through a consent, and only for an A2 partner.
CUSTOMER = frozenset({"accounts:read", "transactions:read", "payments:write", "loans:apply"})
SUPPORTED = frozenset({PARTNER_SELF}) | PARTNER_LEVEL | CUSTOMER
# The API level whose partners may reach customers' data and funds (JR/T 0185).
CUSTOMER_DATA_LEVEL = "A2"


def split(scope: str | None) -> list[str]:
    return sorted(set((scope or "").split()))


def join(scopes: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    return " ".join(sorted(scopes))
