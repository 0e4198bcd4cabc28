"""A cashier's tender on an order: lock the order, then cash, card or a customer's payment code."""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.errors import Overpayment
from finlife.kit.auth import Actor
from finlife.payments.errors import CardDeclined
from finlife.payments.schemas import CardTenderIn, CashTenderIn, PaymentCodeTenderIn, TenderOut
from finlife.payments.service.card import pay_card
from finlife.payments.service.card_off_us import OffUsAsked, book_off_us
from finlife.payments.service.cash import pay_cash
from finlife.payments.service.codes import pay_with_code
from finlife.settings import Settings


def take_payment(
    session: Session,
    settings: Settings,
    actor: Actor,
    order_id: str,
    tender: CashTenderIn | CardTenderIn | PaymentCodeTenderIn,
    off_us: OffUsAsked | None = None,
) -> TenderOut | CardDeclined:
    """Take one tender on an open order of the actor's store; several may settle it (split tender).

    The order stays locked until the transaction ends, so two cashiers paying it at once queue and
    the second finds it paid (409 order_not_open). A card decline is returned, not raised: its
    payment row and wrong-PIN count must be committed (see card). ``off_us``: another bank's card
    already asked before this transaction (``ask_off_us_first``), to be booked here: that request
    already read the order and checked its seller, so only the order's lock is taken again.
    """
    if off_us is not None and isinstance(tender, CardTenderIn) and off_us.order.id == order_id:
        return book_off_us(session, settings, actor, tender, off_us)
    order = cashier.lock_order_for_payment(session, actor, order_id)
    outstanding = order.total - order.paid
    # Checked before any card check, so a wrong amount costs the customer no PIN attempt.
    if tender.amount > outstanding:
        raise Overpayment(outstanding)
    if isinstance(tender, CashTenderIn):
        return pay_cash(session, actor, order, tender)
    if isinstance(tender, CardTenderIn):
        return pay_card(session, settings, actor, order, tender, off_us)
    return pay_with_code(session, settings, actor, order, tender)
