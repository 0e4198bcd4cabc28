"""Debit cards on deposit accounts. The PAN is shown once, at issue, and never stored in clear:
the table keeps its HMAC (to find the card from a presented PAN) and first six / last four digits.
The PIN is an argon2 hash; the expiry (C3) only an HMAC over PAN and expiry."""

from __future__ import annotations

import hmac
import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.common import ensure_readable, ensure_serving, record_change, resolve_one
from finlife.accounts.errors import InvalidPin
from finlife.accounts.models import DebitCard, DepositAccount
from finlife.accounts.numbers import PAN_LENGTH, expiry_digest, pan_digest, with_check_digit
from finlife.accounts.schemas import CardOut, IssuedCardOut
from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.kit.masking import mask_pan_first6_last4
from finlife.settings import Settings

PIN_PATTERN = re.compile(r"[0-9]{6}")
ACTIVE, BLOCKED = "active", "blocked"


def _masked(card: DebitCard) -> str:
    return card.first6 + "*" * (card.pan_length - 10) + card.last4


def _out(card: DebitCard, account_id: str) -> CardOut:
    return CardOut(
        id=card.public_id,
        account_id=account_id,
        masked_pan=_masked(card),
        status=card.status,
        issued_at=card.issued_at,
    )


def _expiry(settings: Settings, today: date) -> str:
    """YYMM, the card's last valid month, ``card_validity_years`` after issue."""
    return f"{(today.year + settings.card_validity_years) % 100:02d}{today.month:02d}"


def issue_card(
    session: Session, settings: Settings, actor: Actor, account_id: str, *, pin: str
) -> IssuedCardOut:
    """Issue a debit card with a 6-digit PIN; the answer is the only place the full PAN appears."""
    account = resolve_one(session, account_id)
    ensure_serving(actor, account.customer_id)
    account.require_active()
    if not PIN_PATTERN.fullmatch(pin):
        raise InvalidPin()
    while True:
        pan = with_check_digit(settings.card_bin, PAN_LENGTH)
        digest = pan_digest(pan, settings.secret_key)
        if session.execute(select(DebitCard.id).where(DebitCard.pan_digest == digest)).first() is None:
            break
    expiry = _expiry(settings, clock.business_day())
    card = DebitCard(
        public_id=new_id("crd"),
        account_pk=account.pk,
        pan_digest=digest,
        first6=pan[:6],
        last4=pan[-4:],
        pan_length=len(pan),
        expiry_digest=expiry_digest(pan, expiry, settings.secret_key),
        pin_hash=identity.hash_secret(pin, settings),
        pin_failures=0,
        status=ACTIVE,
        issued_at=clock.now(),
    )
    session.add(card)
    session.flush()
    record_change(
        session,
        actor,
        "card.issued",
        subject_type="card",
        subject_id=card.public_id,
        customer_id=account.customer_id,
        facts={"account_id": account.public_id, "masked_pan": mask_pan_first6_last4(pan)},
    )
    return IssuedCardOut(
        id=card.public_id,
        account_id=account.public_id,
        pan=pan,
        masked_pan=mask_pan_first6_last4(pan),
        expiry=expiry,
        status=card.status,
        issued_at=card.issued_at,
    )


def list_cards(session: Session, actor: Actor, account_id: str) -> list[CardOut]:
    """The account's cards, masked, oldest first, for its owner and staff who read accounts (tellers,
    bank admins, the service centre's agents: a caller asks which card to freeze)."""
    account = resolve_one(session, account_id)
    ensure_readable(actor, account.customer_id)
    cards = session.execute(
        select(DebitCard).where(DebitCard.account_pk == account.pk).order_by(DebitCard.id)
    ).scalars()
    return [_out(card, account.public_id) for card in cards]


def find_card_by_pan(session: Session, settings: Settings, pan: str) -> CardOut | None:
    """The card with this PAN (looked up by its HMAC), or None."""
    row = session.execute(
        select(DebitCard, DepositAccount.public_id)
        .join(DepositAccount, DepositAccount.id == DebitCard.account_pk)
        .where(DebitCard.pan_digest == pan_digest(pan.strip(), settings.secret_key))
    ).one_or_none()
    return _out(row[0], row[1]) if row else None


def holder_of_number(session: Session, settings: Settings, number: str) -> str | None:
    """The customer id holding our account or card with this number (a teller finds a customer by it)."""
    by_account: str | None = session.execute(
        select(DepositAccount.customer_id).where(DepositAccount.number == number)
    ).scalar_one_or_none()
    if by_account is not None:
        return by_account
    by_card: str | None = session.execute(
        select(DepositAccount.customer_id)
        .join(DebitCard, DebitCard.account_pk == DepositAccount.id)
        .where(DebitCard.pan_digest == pan_digest(number, settings.secret_key))
    ).scalar_one_or_none()
    return by_card


def _card(session: Session, card_id: str) -> DebitCard:
    card = session.execute(
        select(DebitCard).where(DebitCard.public_id == card_id).with_for_update()
    ).scalar_one_or_none()
    if card is None:
        raise NotFound("card")
    return card


def verify_card_pin(session: Session, settings: Settings, *, card_id: str, pin: str) -> bool:
    """Check a PIN. Wrong PINs are counted and block the card after ``card_pin_max_failures``;
    a right one resets the count. A blocked card answers False. The caller must commit the
    count even when it then refuses the payment."""
    card = _card(session, card_id)
    if card.status != ACTIVE:
        return False
    if PIN_PATTERN.fullmatch(pin) and identity.verify_secret(card.pin_hash, pin, settings):
        card.pin_failures = 0
        session.flush()
        return True
    card.pin_failures += 1
    if card.pin_failures >= settings.card_pin_max_failures:
        card.status = BLOCKED
    session.flush()
    return False


def verify_card_expiry(session: Session, settings: Settings, *, card_id: str, pan: str, expiry: str) -> bool:
    """True when ``expiry`` (YYMM) is this card's and its month has not passed."""
    card = session.execute(select(DebitCard).where(DebitCard.public_id == card_id)).scalar_one_or_none()
    if card is None or not re.fullmatch(r"[0-9]{4}", expiry):
        return False
    if not hmac.compare_digest(card.expiry_digest, expiry_digest(pan, expiry, settings.secret_key)):
        return False
    today = clock.business_day()
    return (2000 + int(expiry[:2]), int(expiry[2:])) >= (today.year, today.month)


def cards_of_customer(session: Session, customer_id: str) -> list[CardOut]:
    """Every card of the customer's accounts, masked, oldest first, for a reader another module has
    already admitted (the 360 view decides who reads it)."""
    rows = session.execute(
        select(DebitCard, DepositAccount.public_id)
        .join(DepositAccount, DepositAccount.id == DebitCard.account_pk)
        .where(DepositAccount.customer_id == customer_id)
        .order_by(DebitCard.id)
    ).all()
    return [_out(card, account_id) for card, account_id in rows]
