"""The merchant's books' refusals, each with its stable code (words in ``messages``)."""

from __future__ import annotations

from finlife.kit.errors import FinlifeError


class RangeInvalid(FinlifeError):
    code = "books_range_invalid"
    status = 422

    def __init__(self, days: int) -> None:
        super().__init__(params={"days": days}, field="from")


class CategoryUnknown(FinlifeError):
    code = "books_category_unknown"
    status = 422

    def __init__(self, category: str) -> None:
        super().__init__(params={"category": category}, field="category")


class AmountInvalid(FinlifeError):
    code = "books_amount_invalid"
    status = 422

    def __init__(self) -> None:
        super().__init__(field="amount")


class EntryNotReversible(FinlifeError):
    code = "books_entry_not_reversible"
    status = 409


class ReceiptInvalid(FinlifeError):
    code = "books_receipt_invalid"
    status = 422

    def __init__(self, limit_kb: int) -> None:
        super().__init__(params={"limit_kb": limit_kb}, field="receipt")
