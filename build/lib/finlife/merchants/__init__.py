"""Merchants: onboarding and approval, stores, staff and POS terminals, and who may see what."""
