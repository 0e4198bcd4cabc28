"""Merchant-presented EMVCo QR codes: an order's dynamic code and a store's static one, and the
customer's app paying either.

Template 26 carries finlife's globally unique id (settings.qr_network_id) in sub-field 00 and, in
01, a one-use token (dynamic: stored with the order and amount) or the store id (static: a store
whose code finlife issued). A dynamic code pays its order's outstanding amount once; a static one
pays the store the amount the customer types, as a payment without an order (``order_id`` null),
credited to the merchant's pending-settlement account like any other; it is not refundable through
an order. Both count against the customer's barcode limits of the business day (see usage).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.cashier import service as cashier
from finlife.cashier.errors import OrderNotOpen
from finlife.cashier.schemas import OrderOut, OrderStatus
from finlife.kit import emvqr
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, insert_if_absent, table_of
from finlife.kit.errors import Forbidden
from finlife.kit.ids import new_id
from finlife.kit.money import NUMERIC_CODES
from finlife.kit.pipeline import DriverSQL, defer_sql, is_postgresql
from finlife.merchants import service as merchants
from finlife.merchants.schemas import MerchantFacts
from finlife.payments.errors import AmountMismatch, AmountRequired, NothingOutstanding, QrCodeUsed
from finlife.payments.models import Payment, QrToken, StoreQr
from finlife.payments.schemas import Method, QrPaymentIn, TenderOut
from finlife.payments.service.codes import own_account
from finlife.payments.service.common import (
    CURRENCY,
    SELLERS,
    active_merchant,
    new_payment,
    pending_account,
    record_payment,
    tender_out,
)
from finlife.payments.service.fees import accrue
from finlife.payments.service.usage import DYNAMIC, STATIC, count_qr
from finlife.settings import Settings

ACCOUNT_TEMPLATE = "26"
BILL_NUMBER, STORE_LABEL, TERMINAL_LABEL = "01", "03", "07"


def _fit(text: str, longest: int) -> str:
    """Cut to ``longest`` characters (EMV counts characters) without a dangling space."""
    return " ".join(text.split())[:longest].rstrip()


def _payload(
    settings: Settings,
    merchant: MerchantFacts,
    *,
    reference: str,
    amount: int | None,
    additional: dict[str, str],
) -> str:
    qr = emvqr.MerchantPresentedQr(
        point_of_initiation="static" if amount is None else "dynamic",
        merchant_accounts={ACCOUNT_TEMPLATE: {"00": settings.qr_network_id, "01": reference}},
        mcc=merchant.mcc,
        currency=NUMERIC_CODES[CURRENCY],
        merchant_name=_fit(merchant.legal_name, 25),
        merchant_city=_fit(settings.qr_merchant_city, 15),
        amount=amount,
        additional_data={key: _fit(value, 25) for key, value in additional.items()},
    )
    return emvqr.encode(qr)


def order_qr(session: Session, settings: Settings, actor: Actor, order_id: str) -> str:
    """The dynamic payload for an open order's outstanding amount. Asked again for the same amount,
    it answers the same (still unused) code, so the PNG and SVG show what the JSON did."""
    order = cashier.order_for_seller(session, actor, order_id)
    if order.status is not OrderStatus.OPEN:
        raise OrderNotOpen(order.status.value)
    outstanding = order.total - order.paid
    if outstanding <= 0:
        raise NothingOutstanding()
    merchant = active_merchant(session, order.merchant_id)
    token = session.execute(
        select(QrToken.token).where(
            QrToken.order_id == order.id, QrToken.amount == outstanding, QrToken.used_at.is_(None)
        )
    ).scalar_one_or_none()
    if token is None:
        token = new_id("qrt")
        session.add(QrToken(token=token, order_id=order.id, amount=outstanding, created_at=clock.now()))
        session.flush()
    return _payload(
        settings,
        merchant,
        reference=token,
        amount=outstanding,
        additional={BILL_NUMBER: order.id, TERMINAL_LABEL: order.terminal_id},
    )


def store_qr(session: Session, settings: Settings, actor: Actor, store_id: str) -> str:
    """The store's static payload (no amount), for its owner and cashiers to print or show."""
    access, store = merchants.store_access(session, actor, store_id)
    if access.role not in SELLERS:
        raise Forbidden()
    merchant = active_merchant(session, access.merchant_id)
    insert_if_absent(
        session,
        table_of(StoreQr),
        {"store_id": store.id, "merchant_id": access.merchant_id, "created_at": clock.now()},
        conflict_columns=["store_id"],
    )
    return _payload(settings, merchant, reference=store.id, amount=None, additional={STORE_LABEL: store.name})


def _reference(settings: Settings, qr: emvqr.MerchantPresentedQr) -> str:
    ours = qr.merchant_accounts.get(ACCOUNT_TEMPLATE)
    if not isinstance(ours, Mapping) or ours.get("00") != settings.qr_network_id or "01" not in ours:
        raise emvqr.InvalidQrPayload("unknown_merchant_account")
    if qr.currency != NUMERIC_CODES[CURRENCY]:
        raise emvqr.InvalidQrPayload("unsupported_currency")
    return str(ours["01"])


def pay_qr(session: Session, settings: Settings, actor: Actor, body: QrPaymentIn) -> TenderOut:
    """The customer pays a scanned merchant code from their own account (422 invalid_qr_payload for
    a payload that is malformed, fails its CRC or is not finlife's)."""
    qr = emvqr.decode(body.payload)
    reference = _reference(settings, qr)
    account = own_account(session, actor, body.account_id)
    if qr.point_of_initiation == "dynamic":
        return _pay_dynamic(session, settings, actor, qr, reference, body, account.id, account.customer_id)
    return _pay_static(session, settings, actor, reference, body, account.id, account.customer_id)


def _debit(
    session: Session,
    settings: Settings,
    actor: Actor,
    payment: Payment,
    *,
    account_id: str,
    customer_id: str,
    kind: str,
) -> None:
    count_qr(session, settings, customer_id=customer_id, kind=kind, amount=payment.amount, currency=CURRENCY)
    entry = accounts.pay(
        session,
        settings,
        actor,
        account_id=account_id,
        amount=payment.amount,
        currency=CURRENCY,
        destination_ledger_account_id=pending_account(session, payment.merchant_id),
        kind="qr_payment",
        memo=f"QR payment {payment.order_id or payment.store_id}",
        details={"payment": payment.public_id, "merchant": payment.merchant_id},
        destination_is_hot=True,
    )
    payment.entry_id = entry.id
    accrue(settings, payment)
    record_payment(session, actor, payment)


def _mark_used(session: Session, token_pk: int) -> None:
    """The code is used from now on. Nothing reads the mark back in this unit of work (the row stays
    locked to its end), so on PostgreSQL it goes out with the unit of work's other writes."""
    now = clock.now()
    if is_postgresql(session):
        defer_sql(session, DriverSQL(_MARK_USED_SQL, {"used_at": now, "id": token_pk}, what="a QR code used"))
        return
    session.execute(update(QrToken).where(QrToken.id == token_pk).values(used_at=now))


_MARK_USED_SQL = "UPDATE payment_qr_tokens SET used_at = %(used_at)s WHERE id = %(id)s"


def _pay_dynamic(
    session: Session,
    settings: Settings,
    actor: Actor,
    qr: emvqr.MerchantPresentedQr,
    reference: str,
    body: QrPaymentIn,
    account_id: str,
    customer_id: str,
) -> TenderOut:
    # The code's row, locked: two payments of one code queue here, and the second finds it used.
    columns = select(QrToken.id, QrToken.order_id, QrToken.amount, QrToken.used_at)
    stmt = cast("Select[Any]", columns.where(QrToken.token == reference))
    token = session.execute(for_update(stmt)).one_or_none()
    if token is None or qr.amount != token.amount:
        raise emvqr.InvalidQrPayload("unknown_code")
    if token.used_at is not None:
        raise QrCodeUsed()
    if body.amount is not None and body.amount != token.amount:
        raise AmountMismatch()
    payment_id = new_id("pay")
    # Locks the order and refuses one that is no longer open or has less outstanding than the code.
    order: OrderOut = cashier.apply_payment(
        session, token.order_id, amount=token.amount, payment_id=payment_id, actor=actor
    )
    _mark_used(session, token.id)  # queued after the order's writes: it travels with them
    payment = new_payment(
        payment_id,
        actor,
        method=Method.QR_MERCHANT,
        amount=token.amount,
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        order_id=order.id,
        terminal_id=order.terminal_id,
        qr_kind=DYNAMIC,
        account_id=account_id,
        customer_id=customer_id,
    )
    _debit(session, settings, actor, payment, account_id=account_id, customer_id=customer_id, kind=DYNAMIC)
    return tender_out(payment, order)


def _pay_static(
    session: Session,
    settings: Settings,
    actor: Actor,
    reference: str,
    body: QrPaymentIn,
    account_id: str,
    customer_id: str,
) -> TenderOut:
    store = session.execute(select(StoreQr).where(StoreQr.store_id == reference)).scalar_one_or_none()
    if store is None:
        raise emvqr.InvalidQrPayload("unknown_code")
    if body.amount is None:
        raise AmountRequired()
    payment = new_payment(
        new_id("pay"),
        actor,
        method=Method.QR_MERCHANT,
        amount=body.amount,
        merchant_id=store.merchant_id,
        store_id=store.store_id,
        order_id=None,
        terminal_id=None,
        qr_kind=STATIC,
        account_id=account_id,
        customer_id=customer_id,
    )
    _debit(session, settings, actor, payment, account_id=account_id, customer_id=customer_id, kind=STATIC)
    return tender_out(payment, None)
