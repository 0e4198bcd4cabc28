"""Customer-presented payment codes: 18 digits, one use, short-lived, bound to one account.

The code is shown as a barcode and a QR code in the customer's app; finlife keeps only its HMAC
(keyed with the secret key), so a database reader cannot pay with it. An unknown, used or expired
code gets one answer (422 payment_code_expired). Payment codes are level C barcode payments: they
count against the customer's dynamic daily limit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.errors import AccountNotActive
from finlife.accounts.schemas import AccountStatus
from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.kit.qrimage import barcode_svg, qr_svg
from finlife.payments.errors import PaymentCodeExpired
from finlife.payments.models import PaymentCode
from finlife.payments.schemas import Method, PaymentCodeOut, PaymentCodeTenderIn, TenderOut
from finlife.payments.service.common import (
    CURRENCY,
    new_payment,
    pending_account,
    record_change,
    record_payment,
    tender_out,
)
from finlife.payments.service.fees import accrue
from finlife.payments.service.usage import DYNAMIC, count_qr
from finlife.settings import Settings

CODE_PREFIX = "28"
CODE_LENGTH = 18


def code_digest(settings: Settings, code: str) -> str:
    return hmac.new(settings.secret_key.encode(), f"payment-code:{code}".encode(), hashlib.sha256).hexdigest()


def own_account(session: Session, actor: Actor, account_id: str) -> accounts.AccountFacts:
    """The actor's own active account; another customer's is not revealed (404)."""
    facts = accounts.account_facts(session, account_id)
    if actor.customer_id is None or facts.customer_id != actor.customer_id:
        raise NotFound("account")
    if facts.status is not AccountStatus.ACTIVE:
        raise AccountNotActive()
    return facts


def issue_code(session: Session, settings: Settings, actor: Actor, account_id: str) -> PaymentCodeOut:
    """A new one-use payment code on the customer's own account, valid ``payment_code_ttl_seconds``."""
    account = own_account(session, actor, account_id)
    while True:  # 10^16 codes: a collision with a stored one is astronomically rare, but harmless
        code = CODE_PREFIX + f"{secrets.randbelow(10 ** (CODE_LENGTH - 2)):0{CODE_LENGTH - 2}d}"
        digest = code_digest(settings, code)
        if session.execute(select(PaymentCode.id).where(PaymentCode.code_digest == digest)).first() is None:
            break
    now = clock.now()
    expires_at = now + timedelta(seconds=settings.payment_code_ttl_seconds)
    public_id = new_id("pcode")
    session.add(
        PaymentCode(
            public_id=public_id,
            code_digest=digest,
            account_id=account.id,
            customer_id=account.customer_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()
    record_change(
        session,
        actor,
        "payment_code.issued",
        subject_id=account.id,
        facts={"account_id": account.id, "expires_at": expires_at.isoformat()},
    )
    return PaymentCodeOut(
        id=public_id,
        code=code,
        account_id=account.id,
        expires_at=expires_at,
        barcode_svg=barcode_svg(code),
        qr_svg=qr_svg(code),
    )


def _redeem(session: Session, settings: Settings, code: str) -> PaymentCode:
    """Mark the code used (row-locked, so two cashiers scanning it at once use it once)."""
    stmt = select(PaymentCode).where(PaymentCode.code_digest == code_digest(settings, code))
    found: PaymentCode | None = session.execute(
        for_update(stmt).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    now = clock.now()
    if found is None or found.used_at is not None or found.expires_at <= now:
        raise PaymentCodeExpired()
    found.used_at = now
    return found


def pay_with_code(
    session: Session, settings: Settings, actor: Actor, order: OrderOut, tender: PaymentCodeTenderIn
) -> TenderOut:
    """The cashier scans the customer's code: the code's account pays (part of) the locked order."""
    found = _redeem(session, settings, tender.code)
    count_qr(
        session,
        settings,
        customer_id=found.customer_id,
        kind=DYNAMIC,
        amount=tender.amount,
        currency=CURRENCY,
    )
    payment_id = new_id("pay")
    entry = accounts.pay(
        session,
        settings,
        actor,
        account_id=found.account_id,
        amount=tender.amount,
        currency=CURRENCY,
        destination_ledger_account_id=pending_account(session, order.merchant_id),
        kind="code_payment",
        memo=f"payment code {order.id}",
        details={"payment": payment_id, "merchant": order.merchant_id},
        destination_is_hot=True,
    )
    applied = cashier.apply_payment(
        session, order.id, amount=tender.amount, payment_id=payment_id, actor=actor
    )
    payment = new_payment(
        payment_id,
        actor,
        method=Method.PAYMENT_CODE,
        amount=tender.amount,
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        order_id=order.id,
        terminal_id=order.terminal_id,
        account_id=found.account_id,
        customer_id=found.customer_id,
        entry_id=entry.id,
    )
    accrue(settings, payment)
    record_payment(session, actor, payment)
    return tender_out(payment, applied)
