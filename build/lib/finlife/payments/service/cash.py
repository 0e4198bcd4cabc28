"""Cash tenders: change for what was handed over, the drawer of the terminal's open shift, and the
merchant's own cash ledger pair (see books)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import CashKind, OrderOut, ShiftOut
from finlife.kit.auth import Actor
from finlife.kit.ids import new_id
from finlife.ledger import service as ledger
from finlife.ledger.schemas import EntryOut
from finlife.payments.errors import NoOpenShift, TenderedTooLittle
from finlife.payments.schemas import CashTenderIn, Method, TenderOut
from finlife.payments.service.books import cash_book
from finlife.payments.service.common import CURRENCY, new_payment, record_payment, tender_out


def open_shift_of(session: Session, terminal_id: str) -> ShiftOut:
    """The terminal's open shift: cash goes in and out only through a counted drawer (409 otherwise)."""
    shift = cashier.current_shift(session, terminal_id)
    if shift is None:
        raise NoOpenShift()
    return shift


def book_cash(
    session: Session, actor: Actor, merchant_id: str, amount: int, *, sale: bool, details: dict[str, str]
) -> EntryOut:
    """Drawer ← cash sales for a sale, the other way round for a refund."""
    drawer, sales = cash_book(session, merchant_id, CURRENCY)
    return ledger.post_pair(
        session,
        actor,
        debit=drawer if sale else sales,
        credit=sales if sale else drawer,
        amount=amount,
        currency=CURRENCY,
        kind="cash_sale" if sale else "cash_refund",
        memo="cash sale" if sale else "cash refund",
        details=details,
    )


def pay_cash(session: Session, actor: Actor, order: OrderOut, tender: CashTenderIn) -> TenderOut:
    """Take cash for (part of) a locked order: change = tendered − amount, recorded in the drawer."""
    if tender.tendered < tender.amount:
        raise TenderedTooLittle()
    shift = open_shift_of(session, order.terminal_id)
    payment_id = new_id("pay")
    applied = cashier.apply_payment(
        session, order.id, amount=tender.amount, payment_id=payment_id, actor=actor
    )
    # The drawer keeps the amount: the tendered notes go in and the change comes straight back out.
    cashier.record_cash(session, shift.id, kind=CashKind.SALE, amount=tender.amount)
    entry = book_cash(
        session,
        actor,
        order.merchant_id,
        tender.amount,
        sale=True,
        details={"payment": payment_id, "order": order.id},
    )
    payment = new_payment(
        payment_id,
        actor,
        method=Method.CASH,
        amount=tender.amount,
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        order_id=order.id,
        terminal_id=order.terminal_id,
        tendered=tender.tendered,
        change=tender.tendered - tender.amount,
        entry_id=entry.id,
    )
    record_payment(session, actor, payment)
    return tender_out(payment, applied)
