"""Freezing a card the customer reports lost (or unfreezing one they found): a frozen card is not
``active``, so card payments and ATMs refuse it as they refuse a blocked one. Unfreezing gives back
only what freezing took: a card blocked by wrong PINs stays blocked (the branch resets the PIN)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.common import record_change
from finlife.accounts.models import DebitCard, DepositAccount
from finlife.accounts.schemas import CardOut
from finlife.kit.auth import Actor
from finlife.kit.errors import Conflict, NotFound
from finlife.kit.permissions import Capability, require

ACTIVE, FROZEN = "active", "frozen"


class CardStateConflict(Conflict):
    """Freeze only an active card, unfreeze only a frozen one (409)."""

    def __init__(self, status: str) -> None:
        super().__init__("card_state_conflict", params={"status": status}, extra={"card_status": status})


def _set_status(
    session: Session, actor: Actor, card_id: str, *, was: str, becomes: str, event: str
) -> CardOut:
    require(actor, Capability.CARD_FREEZE)
    row = session.execute(
        select(DebitCard, DepositAccount)
        .join(DepositAccount, DepositAccount.id == DebitCard.account_pk)
        .where(DebitCard.public_id == card_id)
        .with_for_update(of=DebitCard)
    ).one_or_none()
    if row is None:
        raise NotFound("card")
    card, account = row
    if card.status != was:
        raise CardStateConflict(card.status)
    card.status = becomes
    session.flush()
    masked = card.first6 + "*" * (card.pan_length - 10) + card.last4
    record_change(
        session,
        actor,
        event,
        subject_type="card",
        subject_id=card.public_id,
        customer_id=account.customer_id,
        facts={"account_id": account.public_id, "masked_pan": masked},
    )
    return CardOut(
        id=card.public_id,
        account_id=account.public_id,
        masked_pan=masked,
        status=card.status,
        issued_at=card.issued_at,
    )


def freeze_card(session: Session, actor: Actor, card_id: str) -> CardOut:
    return _set_status(session, actor, card_id, was=ACTIVE, becomes=FROZEN, event="card.frozen")


def unfreeze_card(session: Session, actor: Actor, card_id: str) -> CardOut:
    return _set_status(session, actor, card_id, was=FROZEN, becomes=ACTIVE, event="card.unfrozen")


def card_holder(session: Session, card_id: str) -> str | None:
    """The customer id of the card's account, if the card exists."""
    holder: str | None = session.execute(
        select(DepositAccount.customer_id)
        .join(DebitCard, DebitCard.account_pk == DepositAccount.id)
        .where(DebitCard.public_id == card_id)
    ).scalar_one_or_none()
    return holder


def customers_with_card_last4(session: Session, last4: str) -> list[str]:
    """The customers holding a card ending in ``last4`` (at most 50; the name narrows them)."""
    rows = session.execute(
        select(DepositAccount.customer_id)
        .join(DebitCard, DebitCard.account_pk == DepositAccount.id)
        .where(DebitCard.last4 == last4)
        .distinct()
        .limit(50)
    ).scalars()
    return list(rows)
