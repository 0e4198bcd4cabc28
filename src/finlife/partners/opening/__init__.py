"""Bring in: Class II/III accounts a partner opens for its users, confirmed by the person's
one-time code (see service)."""
