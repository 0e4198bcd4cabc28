"""On-us debit card tenders, answered like an ISO 8583 authorisation (field 39 response codes).

Checks run in the order a card host runs them: unknown card (14), blocked card (57), expiry (54),
PIN (55), then the money: insufficient funds (51), over the account's class limit (61). A decline
is returned as a value, with its payment row (status ``declined``): the wrong-PIN count that
``verify_card_pin`` kept must be committed even though no money moves. The money movement runs in
a SAVEPOINT so that a refusal there (51, 61) undoes only itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.errors import AccountNotActive, LimitExceeded
from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut
from finlife.interbank import service as interbank
from finlife.kit.auth import Actor
from finlife.kit.db import savepoint, write_deferred
from finlife.kit.errors import FinlifeError
from finlife.kit.ids import new_id
from finlife.ledger.errors import InsufficientFunds
from finlife.ledger.schemas import EntryOut
from finlife.payments.errors import CardDeclined, PinRequired
from finlife.payments.models import Payment
from finlife.payments.schemas import CardTenderIn, EntryMode, Method, PaymentStatus, TenderOut
from finlife.payments.service.common import CURRENCY, new_payment, pending_account, record_payment, tender_out
from finlife.payments.service.fees import accrue
from finlife.settings import Settings

if TYPE_CHECKING:  # the off-us path imports this module's rules (PIN, reasons)
    from finlife.payments.service.card_off_us import OffUsAsked

APPROVED = "00"
REASONS = {
    "05": "do_not_honour",
    "12": "invalid_transaction",
    "13": "invalid_amount",
    "14": "invalid_card",
    "51": "insufficient_funds",
    "54": "expired_card",
    "55": "wrong_pin",
    "57": "not_permitted",
    "61": "exceeds_limit",
    "91": "issuer_unavailable",
}
# What the accounts and ledger services' refusals mean to a card host.
REFUSAL_CODES: dict[type[FinlifeError], str] = {
    InsufficientFunds: "51",
    LimitExceeded: "61",
    AccountNotActive: "57",
}


def pin_needed(settings: Settings, tender: CardTenderIn) -> bool:
    """Contactless up to ``contactless_no_pin_limit`` needs no PIN; everything else does."""
    return not (
        tender.entry_mode is EntryMode.CONTACTLESS and tender.amount <= settings.contactless_no_pin_limit
    )


def _authorise(
    session: Session, settings: Settings, tender: CardTenderIn
) -> tuple[str, str | None, str | None]:
    """(response code, card id, account id) for the card checks before any money moves."""
    card = accounts.find_card_by_pan(session, settings, tender.pan)
    if card is None:
        return "14", None, None
    if card.status != "active":
        return "57", card.id, card.account_id
    if not accounts.verify_card_expiry(
        session, settings, card_id=card.id, pan=tender.pan, expiry=tender.expiry
    ):
        return "54", card.id, card.account_id
    if pin_needed(settings, tender):
        if tender.pin is None:
            raise PinRequired()
        if not accounts.verify_card_pin(session, settings, card_id=card.id, pin=tender.pin):
            return "55", card.id, card.account_id
    return APPROVED, card.id, card.account_id


def _debit(
    session: Session,
    settings: Settings,
    actor: Actor,
    order: OrderOut,
    tender: CardTenderIn,
    account_id: str,
    payment: Payment,
) -> EntryOut | str:
    """The card's account → the merchant's pending account, or the response code of the refusal."""
    destination = pending_account(session, order.merchant_id)
    write_deferred(session)  # rows queued before the savepoint must not be undone with it
    try:
        with savepoint(session):
            return accounts.pay(
                session,
                settings,
                actor,
                account_id=account_id,
                amount=tender.amount,
                currency=CURRENCY,
                destination_ledger_account_id=destination,
                kind="card_payment",
                memo=f"card payment {order.id}",
                details={
                    "payment": payment.public_id,
                    "merchant": order.merchant_id,
                    "card": f"****{payment.card_last4}",
                },
                destination_is_hot=True,
            )
    except tuple(REFUSAL_CODES) as refusal:
        return REFUSAL_CODES[type(refusal)]


def _decline(session: Session, actor: Actor, payment: Payment, code: str) -> CardDeclined:
    payment.status = PaymentStatus.DECLINED.value
    payment.response_code = code
    record_payment(session, actor, payment)
    return CardDeclined(code, REASONS[code], payment.public_id)


def pay_card(
    session: Session,
    settings: Settings,
    actor: Actor,
    order: OrderOut,
    tender: CardTenderIn,
    off_us: OffUsAsked | None = None,
) -> TenderOut | CardDeclined:
    """Authorise an on-us card for (part of) a locked order; approved → booked and counted, declined →
    a declined payment row and the ``CardDeclined`` answer (402), to be committed by the caller."""
    issuer = interbank.issuer_of(session, tender.pan)
    if issuer is not None:  # another bank's card: its issuer authorises it (off-us)
        # Imported here: the off-us path imports this module's rules (PIN, reasons).
        from finlife.payments.service.card_off_us import pay_off_us

        return pay_off_us(session, settings, actor, order, tender, issuer, off_us)
    code, card_id, account_id = _authorise(session, settings, tender)
    payment = new_payment(
        new_id("pay"),
        actor,
        method=Method.CARD,
        amount=tender.amount,
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        order_id=order.id,
        terminal_id=order.terminal_id,
        card_id=card_id,
        card_first6=tender.pan[:6],
        card_last4=tender.pan[-4:],
        entry_mode=tender.entry_mode.value,
        account_id=account_id,
    )
    if code != APPROVED or account_id is None:
        return _decline(session, actor, payment, code)
    debited = _debit(session, settings, actor, order, tender, account_id, payment)
    if isinstance(debited, str):
        return _decline(session, actor, payment, debited)
    applied = cashier.apply_payment(
        session, order.id, amount=tender.amount, payment_id=payment.public_id, actor=actor
    )
    payment.response_code = APPROVED
    payment.entry_id = debited.id
    payment.customer_id = accounts.account_facts(session, account_id).customer_id
    accrue(settings, payment)
    record_payment(session, actor, payment)
    return tender_out(payment, applied)
