"""The merchant's own cash ledger pair: cash never passes through the bank, yet every tender books
one balanced entry. A cash sale debits ``merchant:{id}:cash_drawer:{ccy}`` (asset) and credits
``merchant:{id}:cash_sales:{ccy}`` (income); a cash refund reverses that. Settlement pays out the
pending-settlement account only, so cash is never paid to the merchant a second time.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.db import for_update, insert_if_absent, table_of
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind
from finlife.payments.models import CashBook

_books = table_of(CashBook)


def cash_book(session: Session, merchant_id: str, currency: str) -> tuple[str, str]:
    """(drawer, cash sales) ledger account ids of the merchant, opened on first use.

    The book row is created if absent and then locked, so two first cash sales at once open the
    ledger pair once: the second waits on the row and finds the accounts already there.
    """
    insert_if_absent(
        session,
        _books,
        {"merchant_id": merchant_id, "currency": currency},
        conflict_columns=["merchant_id", "currency"],
    )
    stmt = select(CashBook).where(CashBook.merchant_id == merchant_id, CashBook.currency == currency)
    book = session.execute(for_update(stmt).execution_options(populate_existing=True)).scalar_one()
    if book.drawer_ledger_id is None or book.sales_ledger_id is None:
        drawer = ledger.open_account(
            session,
            code=f"merchant:{merchant_id}:cash_drawer:{currency}",
            name=f"{merchant_id} cash drawer {currency}",
            kind=AccountKind.ASSET,
            currency=currency,
        )
        sales = ledger.open_account(
            session,
            code=f"merchant:{merchant_id}:cash_sales:{currency}",
            name=f"{merchant_id} cash sales {currency}",
            kind=AccountKind.INCOME,
            currency=currency,
        )
        book.drawer_ledger_id, book.sales_ledger_id = drawer.id, sales.id
        session.flush()
    return book.drawer_ledger_id, book.sales_ledger_id
