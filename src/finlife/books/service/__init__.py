"""The merchant's books' public face: the API, the pages and the demo call these."""

from finlife.books.service.consumer import CONSUMER, book_events, ensure_subscribed
from finlife.books.service.entries import (
    categories,
    checked_receipt,
    create_entry,
    list_entries,
    receipt_of,
    reverse_entry,
)
from finlife.books.service.reconcile import reconcile
from finlife.books.service.reports import cashflow, date_range, pnl, returns, takings

__all__ = [
    "CONSUMER",
    "book_events",
    "cashflow",
    "categories",
    "checked_receipt",
    "create_entry",
    "date_range",
    "ensure_subscribed",
    "list_entries",
    "pnl",
    "receipt_of",
    "reconcile",
    "returns",
    "reverse_entry",
    "takings",
]
