"""Payments a partner makes from a customer's account under their consent (``payments:write``).

The money moves only through the accounts' transfer services (to an account here, or to another
bank through the registered sender), with the payer's class limits as for any transfer. A payment
above ``CONFIRM_ABOVE`` or beyond the consent's daily total waits for the customer to confirm it in
/app; one not confirmed within ``CONFIRM_WITHIN`` is declined when next looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.accounts.schemas import OtherBankDestination
from finlife.customers import service as customers
from finlife.kit import outbox
from finlife.kit.auth import Actor, Channel, PartnerGrant
from finlife.kit.clock import clock
from finlife.kit.errors import Conflict, Forbidden, NotFound, RuleViolation
from finlife.kit.ids import new_id
from finlife.kit.masking import mask_card_number
from finlife.partners.models import Consent, Partner
from finlife.partners.payments.models import PartnerPayment
from finlife.partners.payments.schemas import PayeeOut, PaymentIn, PaymentOut
from finlife.settings import Settings

CONFIRM_ABOVE = 100_000  # 1,000.00 CNY in fen: larger payments wait for the customer
CONFIRM_WITHIN = timedelta(minutes=15)
COMPLETED, SENT, AWAITING, DECLINED = "completed", "sent", "awaiting_confirmation", "declined"
MOVED = (COMPLETED, SENT)


@dataclass(frozen=True)
class Prepared:
    """The consent, locked for the request, and whether the customer must confirm the payment."""

    consent: Consent
    needs_confirmation: bool


def _grant(actor: Actor) -> PartnerGrant:
    if actor.grant is None or actor.grant.consent_id is None or actor.grant.customer_id is None:
        raise Forbidden("consent_required")  # a client-credentials token pays for nobody
    return actor.grant


def prepare(session: Session, actor: Actor, body: PaymentIn) -> Prepared:
    """Lock the consent (payments under one consent queue behind each other, so its daily total is
    exact) and decide whether the customer must confirm. An account outside the consent is not found."""
    grant = _grant(actor)
    if body.from_account not in grant.account_ids:
        raise NotFound("account")
    consent = session.execute(
        select(Consent).where(Consent.public_id == grant.consent_id).with_for_update()
    ).scalar_one()
    if body.amount > CONFIRM_ABOVE:
        return Prepared(consent, True)
    if consent.daily_payment_limit is None:
        return Prepared(consent, False)
    moved = session.execute(
        select(func.coalesce(func.sum(PartnerPayment.amount), 0)).where(
            PartnerPayment.consent_pk == consent.id,
            PartnerPayment.business_day == clock.business_day(),
            PartnerPayment.status.in_(MOVED),
        )
    ).scalar_one()
    return Prepared(consent, int(moved) + body.amount > consent.daily_payment_limit)


def _out(session: Session, row: PartnerPayment) -> PaymentOut:
    partner_name = session.execute(select(Partner.name).where(Partner.id == row.partner_pk)).scalar_one()
    return PaymentOut(
        id=row.public_id,
        status=row.status,
        from_account=row.from_account_id,
        payee=PayeeOut(
            name=row.payee_name,
            bank_code=row.payee_bank_code,
            account_number=mask_card_number(row.payee_account_number),
        ),
        amount=row.amount,
        currency=row.currency,
        reference=row.reference,
        partner_name=partner_name,
        transfer_id=row.transfer_id,
        decline_reason=row.decline_reason,
        created_at=row.created_at,
        confirm_by=row.confirm_by,
        decided_at=row.decided_at,
    )


def _move(session: Session, settings: Settings, payer: Actor, row: PartnerPayment) -> None:
    """Through the accounts' transfers, as the payer: never a ledger posting of our own."""
    if row.payee_bank_code is None or row.payee_bank_code == settings.bank_code:
        to_account = accounts.account_id_by_number(session, row.payee_account_number)
        holder = accounts.account_holder(session, row.payee_account_number)
        if to_account is None or holder is None:
            raise RuleViolation("payee_unknown", field="payee.account_number")
        if customers.customer_facts(session, holder).name != " ".join(row.payee_name.split()):
            raise RuleViolation("payee_name_mismatch", field="payee.name")
        moved = accounts.transfer(
            session,
            settings,
            payer,
            from_account_id=row.from_account_id,
            to_account_id=to_account,
            amount=row.amount,
            currency=row.currency,
            memo=row.reference,
        )
        row.transfer_id, row.status = moved.id, COMPLETED
    else:
        sent = accounts.send_to_other_bank(
            session,
            settings,
            payer,
            from_account_id=row.from_account_id,
            destination=OtherBankDestination(
                bank_code=row.payee_bank_code, account_number=row.payee_account_number, name=row.payee_name
            ),
            amount=row.amount,
            currency=row.currency,
            memo=row.reference,
        )
        row.transfer_id, row.status = sent.id, SENT
    row.decided_at = clock.now()
    _publish(session, row, "partner_payment.moved", payer.channel)


def _publish(session: Session, row: PartnerPayment, event: str, channel: Channel) -> None:
    payload = {"payment_id": row.public_id, "customer_id": row.customer_id, "status": row.status}
    outbox.publish(
        session, event, {**payload, "amount": row.amount, "currency": row.currency}, channel=channel
    )


def create_payment(
    session: Session, settings: Settings, actor: Actor, body: PaymentIn, prepared: Prepared
) -> PaymentOut:
    """Move the money now, or keep the payment until the customer confirms it."""
    grant = _grant(actor)
    now = clock.now()
    row = PartnerPayment(
        public_id=new_id("ppy"),
        partner_pk=prepared.consent.partner_pk,
        consent_pk=prepared.consent.id,
        customer_id=grant.customer_id,
        from_account_id=body.from_account,
        payee_name=body.payee.name,
        payee_bank_code=body.payee.bank_code,
        payee_account_number=body.payee.account_number,
        amount=body.amount,
        currency=body.currency,
        reference=body.reference,
        status=AWAITING,
        business_day=clock.business_day(),
        created_at=now,
        confirm_by=now + CONFIRM_WITHIN if prepared.needs_confirmation else None,
    )
    if prepared.needs_confirmation:
        _publish(session, row, "partner_payment.awaiting_confirmation", actor.channel)
    else:
        # The partner pays as the customer allowed it to: their account, on the partner's channel.
        payer = Actor(
            channel=Channel.PARTNER,
            user_id=grant.partner_id,
            username=grant.client_id,
            customer_id=grant.customer_id,
            grant=grant,
        )
        _move(session, settings, payer, row)
    session.add(row)
    session.flush()
    return _out(session, row)


def get_for_partner(session: Session, actor: Actor, payment_id: str) -> PaymentOut:
    """A payment made under this token's consent; any other is not found."""
    grant = _grant(actor)
    row = session.execute(
        select(PartnerPayment)
        .join(Consent, Consent.id == PartnerPayment.consent_pk)
        .where(PartnerPayment.public_id == payment_id, Consent.public_id == grant.consent_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("partner_payment")
    _expire(session, customer_id=row.customer_id)
    session.refresh(row)
    return _out(session, row)


def _expire(session: Session, *, customer_id: str) -> None:
    """Decline the customer's payments whose time to confirm has passed."""
    now = clock.now()
    session.execute(
        update(PartnerPayment)
        .where(
            PartnerPayment.customer_id == customer_id,
            PartnerPayment.status == AWAITING,
            PartnerPayment.confirm_by <= now,
        )
        .values(status=DECLINED, decline_reason="expired", decided_at=now)
    )


def _customer_id(actor: Actor) -> str:
    if actor.customer_id is None or actor.grant is not None:
        raise Forbidden()
    return actor.customer_id


def list_for_customer(session: Session, actor: Actor, *, limit: int = 50) -> list[PaymentOut]:
    """The customer's partner payments, those awaiting them first, then the latest others."""
    customer_id = _customer_id(actor)
    _expire(session, customer_id=customer_id)
    rows = session.execute(
        select(PartnerPayment)
        .where(PartnerPayment.customer_id == customer_id)
        .order_by((PartnerPayment.status == AWAITING).desc(), PartnerPayment.id.desc())
        .limit(limit)
    ).scalars()
    return [_out(session, row) for row in rows]


def _awaiting(session: Session, actor: Actor, payment_id: str) -> PartnerPayment:
    customer_id = _customer_id(actor)
    _expire(session, customer_id=customer_id)
    row = session.execute(
        select(PartnerPayment)
        .where(PartnerPayment.public_id == payment_id, PartnerPayment.customer_id == customer_id)
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("partner_payment")
    session.refresh(row)
    if row.status != AWAITING:
        raise Conflict("partner_payment_not_awaiting", params={"status": row.status})
    return row


def confirm(session: Session, settings: Settings, actor: Actor, payment_id: str) -> PaymentOut:
    """The customer confirms: the money moves now, from their account, as they asked it to. A
    consent revoked or expired meanwhile declines the payment instead."""
    row = _awaiting(session, actor, payment_id)
    consent = session.get(Consent, row.consent_pk)
    if consent is None or consent.status != "authorised" or consent.expires_at <= clock.now():
        row.status, row.decline_reason, row.decided_at = DECLINED, "consent", clock.now()
        _publish(session, row, "partner_payment.declined", actor.channel)
    else:
        _move(session, settings, actor, row)
    session.flush()
    return _out(session, row)


def decline(session: Session, actor: Actor, payment_id: str) -> PaymentOut:
    row = _awaiting(session, actor, payment_id)
    row.status, row.decline_reason, row.decided_at = DECLINED, "customer", clock.now()
    _publish(session, row, "partner_payment.declined", actor.channel)
    session.flush()
    return _out(session, row)
