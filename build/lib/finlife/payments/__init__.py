"""Tenders on cashier orders, merchant QR codes, customer payment codes, refunds and merchant fees."""
