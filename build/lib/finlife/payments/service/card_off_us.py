"""Another bank's card at our merchant: the issuer authorises it over ISO 8583 (finlife.interbank).

The terminal, the PIN rule (contactless small amounts need none), the payment row, the decline
answer and the fee are the same as on-us; only the authorisation and the booking (issuing bank's
clearing account → merchant's pending settlement) happen in the interbank module.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut
from finlife.interbank import service as interbank
from finlife.interbank.schemas import BankOut, CardRequest
from finlife.kit.auth import Actor
from finlife.kit.ids import new_id
from finlife.payments.errors import CardDeclined, PinRequired
from finlife.payments.models import Payment
from finlife.payments.schemas import CardTenderIn, Method, PaymentStatus, TenderOut
from finlife.payments.service.card import REASONS, pin_needed
from finlife.payments.service.common import new_payment, pending_account, record_payment, tender_out
from finlife.payments.service.fees import accrue
from finlife.settings import Settings


def pay_off_us(
    session: Session,
    settings: Settings,
    actor: Actor,
    order: OrderOut,
    tender: CardTenderIn,
    issuer: BankOut,
) -> TenderOut | CardDeclined:
    """Authorise another bank's card for (part of) a locked order, like ``pay_card`` does on-us."""
    if pin_needed(settings, tender) and tender.pin is None:
        raise PinRequired()
    answer = interbank.authorise_card(
        session,
        settings,
        actor,
        issuer,
        CardRequest(
            pan=tender.pan,
            expiry=tender.expiry,
            pin=tender.pin if pin_needed(settings, tender) else None,
            amount=tender.amount,
            entry_mode=tender.entry_mode.value,
            merchant_id=order.merchant_id,
            terminal_id=order.terminal_id,
            credit_ledger_account_id=pending_account(session, order.merchant_id),
        ),
    )
    payment = new_payment(
        new_id("pay"),
        actor,
        method=Method.CARD,
        amount=tender.amount,
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        order_id=order.id,
        terminal_id=order.terminal_id,
        card_first6=tender.pan[:6],
        card_last4=tender.pan[-4:],
        entry_mode=tender.entry_mode.value,
        response_code=answer.response_code,
    )
    if not answer.approved:
        payment.status = PaymentStatus.DECLINED.value
        record_payment(session, actor, payment)
        reason = REASONS.get(answer.response_code, "do_not_honour")
        return CardDeclined(answer.response_code, reason, payment.public_id)
    try:
        applied = cashier.apply_payment(
            session, order.id, amount=tender.amount, payment_id=payment.public_id, actor=actor
        )
        payment.entry_id = answer.entry_id
        accrue(settings, payment)
        record_payment(session, actor, payment)
    except BaseException:
        interbank.cancel_card(issuer, answer)  # our side failed: the issuer must not keep the money
        raise
    return tender_out(payment, applied)


def issuer_fees(session: Session, entry_ids: list[str]) -> int:
    """The issuer's part of the merchant fees (interchange) on the off-us card payments booked by
    these ledger entries: the issuing bank keeps it when it settles with us."""
    total = 0
    for start in range(0, len(entry_ids), 500):  # bounded IN lists
        chunk = entry_ids[start : start + 500]
        total += int(
            session.execute(
                select(func.coalesce(func.sum(Payment.fee_issuer), 0)).where(
                    Payment.entry_id.in_(chunk), Payment.account_id.is_(None)
                )
            ).scalar_one()
        )
    return total
