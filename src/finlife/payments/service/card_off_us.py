"""Another bank's card at our merchant: the issuer authorises it over ISO 8583 (finlife.interbank).

The terminal, the PIN rule (contactless small amounts need none), the payment row, the decline
answer and the fee are the same as on-us; only the authorisation and the booking (issuing bank's
clearing account → merchant's pending settlement) happen in the interbank module.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.errors import Overpayment
from finlife.cashier.schemas import OrderFacts, OrderOut, OrderStatus
from finlife.interbank import service as interbank
from finlife.interbank.schemas import BankOut, CardRequest
from finlife.kit import idempotency
from finlife.kit.auth import Actor
from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.ids import new_id
from finlife.kit.pipeline import fetch_together, is_postgresql
from finlife.payments.errors import CardDeclined, PinRequired
from finlife.payments.models import Payment
from finlife.payments.schemas import CardTenderIn, Method, PaymentStatus, TenderOut
from finlife.payments.service.card import REASONS, pin_needed
from finlife.payments.service.common import (
    new_payment,
    pending_account,
    record_payment,
    tender_out,
)
from finlife.payments.service.fees import accrue
from finlife.settings import Settings


@dataclass(slots=True)
class OffUsAsked:
    """Another bank's card already asked, before the payment's transaction (``ask_off_us_first``):
    the issuer's answer, waiting to be booked by ``take_payment``; ``used`` once it was. ``order``
    and ``credit`` (the merchant's pending-settlement account) are what the same request checked
    before asking: the seller's access and the active merchant, not read again to book."""

    answer: interbank.IssuerAnswer
    order: OrderFacts
    credit: str
    used: bool = False


def _card_request(
    settings: Settings, tender: CardTenderIn, order: OrderOut | OrderFacts, credit: str
) -> CardRequest:
    return CardRequest(
        pan=tender.pan,
        expiry=tender.expiry,
        pin=tender.pin if pin_needed(settings, tender) else None,
        amount=tender.amount,
        entry_mode=tender.entry_mode.value,
        merchant_id=order.merchant_id,
        terminal_id=order.terminal_id,
        credit_ledger_account_id=credit,
    )


def ask_off_us_first(
    database: Database,
    settings: Settings,
    actor: Actor,
    order_id: str,
    tender: CardTenderIn,
    *,
    scope: str,
    key: str,
) -> OffUsAsked | None:
    """Ask another bank's issuer before the payment's transaction begins, so that nothing is locked
    while it answers: the request's row is committed ``sent`` in a short unit of work of its own,
    then the 0200 goes out with no transaction open (``interbank.card_first``).

    None (nothing asked) when the card is ours, when the key already has its answer (a replay), or
    when the payment would be refused before any authorisation (not the actor's order, not open,
    more than is due, a PIN missing, the merchant not active): ``take_payment`` then answers as it
    always does. The caller must give up (``give_up_off_us``) an answer the payment did not use.
    """
    if pin_needed(settings, tender) and tender.pin is None:
        return None
    with database.unit_of_work() as session:
        # On PostgreSQL the key, the bank directory and the order are read in one round trip.
        keys, banks, found = (
            fetch_together(
                session,
                idempotency.answered_query(scope, key),
                interbank.banks_query(),
                cashier.order_query(order_id),
            )
            if is_postgresql(session)
            else (None, None, None)
        )
        if idempotency.answered(session, scope, key, found=keys):
            return None
        issuer = interbank.issuer_of(session, tender.pan, banks=banks)
        if issuer is None:
            return None
        try:  # one read of the order and one access check (no lines: asking needs the figures)
            order = cashier.order_for_seller(session, actor, order_id, found=found)
            credit = pending_account(session, order.merchant_id)
        except FinlifeError:
            return None
        if order.status is not OrderStatus.OPEN or tender.amount > order.total - order.paid:
            return None
        pending = interbank.open_card_authorisation(
            session, issuer, _card_request(settings, tender, order, credit)
        )
    return OffUsAsked(interbank.ask_issuer(pending), order, credit)


def give_up_off_us(database: Database, asked: OffUsAsked) -> None:
    """The payment failed or did not use the answer: an approval not booked is reversed (a booked
    one is left alone, so this is safe to call whenever the outcome is unsure)."""
    interbank.give_up_card(database.engine, asked.answer)


def book_off_us(
    session: Session, settings: Settings, actor: Actor, tender: CardTenderIn, asked: OffUsAsked
) -> TenderOut | CardDeclined:
    """Book an answer asked before this transaction (``take_payment`` with ``off_us``). The seller's
    access and the merchant were checked by this request's ``ask_off_us_first``; the order is locked
    again (one read, no lines) and must still be open with the amount outstanding, as ``take_payment``
    checks it before any card check."""
    if is_postgresql(session):  # the order, its lines and the answer's row in one round trip
        locked = cashier.lock_open_order(
            session, asked.order.id, also=[interbank.card_lock_query(asked.answer)]
        )
    else:
        locked = cashier.lock_open_order(session, asked.order.id)
    outstanding = locked.facts.total - locked.facts.paid
    if tender.amount > outstanding:
        raise Overpayment(outstanding)
    return pay_off_us(session, settings, actor, locked, tender, asked.answer.pending.bank, asked)


def pay_off_us(
    session: Session,
    settings: Settings,
    actor: Actor,
    locked: OrderOut | cashier.LockedOrder,
    tender: CardTenderIn,
    issuer: BankOut,
    asked: OffUsAsked | None = None,
) -> TenderOut | CardDeclined:
    """Authorise another bank's card for (part of) a locked order, like ``pay_card`` does on-us.
    ``locked``: as ``lock_order_for_payment`` or ``lock_open_order`` (whose row is not read again).

    ``asked``: the issuer already answered (``ask_off_us_first``), the answer is only booked here.
    Without it the issuer is asked now, inside this transaction (callers with one session, seeding).
    """
    if pin_needed(settings, tender) and tender.pin is None:
        raise PinRequired()
    order = locked.facts if isinstance(locked, cashier.LockedOrder) else locked
    if asked is None:
        credit = pending_account(session, order.merchant_id)
        request = _card_request(settings, tender, order, credit)
        answer = interbank.authorise_card(session, settings, actor, issuer, request)
    else:
        card_row = locked.also[0] if isinstance(locked, cashier.LockedOrder) and locked.also else None
        answer = interbank.book_card_answer(session, actor, asked.answer, asked.credit, locked=card_row)
        asked.used = True
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
        if isinstance(locked, cashier.LockedOrder):
            applied = cashier.apply_new_payment(
                session, locked, amount=tender.amount, payment_id=payment.public_id, actor=actor
            )
        else:
            applied = cashier.apply_payment(
                session, order.id, amount=tender.amount, payment_id=payment.public_id, actor=actor
            )
        payment.entry_id = answer.entry_id
        accrue(settings, payment)
        record_payment(session, actor, payment)
    except BaseException:
        if asked is None:  # an asked answer is given up by the caller, who also marks its row
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
