"""Saved payees: the people a customer transfers to often, saved once their number and name passed the
payee check (``accounts.payees``: the same refusal for a wrong name and an unknown number, counted and
throttled per login), then picked on the transfer page instead of typing the number again.

A saved payee shows only what the check showed (the masked name, the number's last four digits); the
account behind it is kept by its row, never shown on a screen. Saving the same account twice keeps one.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finlife.accounts import payees
from finlife.accounts.models import DepositAccount, SavedPayee
from finlife.accounts.schemas import AccountClass, PayeeOut, SavedPayeeOut
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import FinlifeError, Forbidden, NotFound, RuleViolation
from finlife.kit.ids import new_id
from finlife.settings import Settings


def _customer(actor: Actor) -> str:
    if actor.customer_id is None:
        raise Forbidden()
    return actor.customer_id


def _out(row: SavedPayee, account_id: str) -> SavedPayeeOut:
    return SavedPayeeOut(
        id=row.public_id,
        account_id=account_id,
        masked_name=row.masked_name,
        number_last4=row.number_last4,
        created_at=row.created_at,
    )


def list_saved_payees(session: Session, actor: Actor) -> list[SavedPayeeOut]:
    """The caller's saved payees, the latest saved first."""
    rows = session.execute(
        select(SavedPayee, DepositAccount.public_id)
        .join(DepositAccount, DepositAccount.id == SavedPayee.account_pk)
        .where(SavedPayee.customer_id == _customer(actor))
        .order_by(SavedPayee.id.desc())
    ).all()
    return [_out(row, account_id) for row, account_id in rows]


def keep_payee(
    session: Session, actor: Actor, *, account_id: str, masked_name: str, number_last4: str
) -> SavedPayeeOut:
    """Save a payee the check has just found (by number and name); an account already saved answers
    the saved one. One's own accounts are not payees (422 ``payee_is_own_account``)."""
    customer_id = _customer(actor)
    account = session.execute(
        select(DepositAccount.id, DepositAccount.customer_id).where(DepositAccount.public_id == account_id)
    ).one_or_none()
    if account is None:
        raise NotFound("account")
    if account.customer_id == customer_id:
        raise RuleViolation("payee_is_own_account", field="number")
    existing = session.execute(
        select(SavedPayee).where(SavedPayee.customer_id == customer_id, SavedPayee.account_pk == account.id)
    ).scalar_one_or_none()
    if existing is not None:
        return _out(existing, account_id)
    row = SavedPayee(
        public_id=new_id("pye"),
        customer_id=customer_id,
        account_pk=account.id,
        masked_name=masked_name,
        number_last4=number_last4,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return _out(row, account_id)


def save_payee(
    session: Session, settings: Settings, actor: Actor, *, number: str, name: str
) -> SavedPayeeOut | FinlifeError:
    """Check the number and name (throttled like every payee check) and save the payee. A refused
    check is returned with its count recorded: commit it, then raise."""
    _customer(actor)
    found = payees.check_payee(session, settings, actor, number=number, name=name)
    if not isinstance(found, PayeeOut):
        return found
    return keep_payee(
        session,
        actor,
        account_id=found.account_id,
        masked_name=found.masked_name,
        number_last4=found.number_last4,
    )


def saved_payee(session: Session, actor: Actor, payee_id: str) -> PayeeOut:
    """The payee a transfer to a saved one reaches (404 ``payee`` if it is not the caller's)."""
    found = session.execute(
        select(SavedPayee, DepositAccount.public_id, DepositAccount.account_class)
        .join(DepositAccount, DepositAccount.id == SavedPayee.account_pk)
        .where(SavedPayee.public_id == payee_id, SavedPayee.customer_id == _customer(actor))
    ).one_or_none()
    if found is None:
        raise NotFound("payee")
    row, account_id, account_class = found
    return PayeeOut(
        account_id=account_id,
        masked_name=row.masked_name,
        number_last4=row.number_last4,
        account_class=AccountClass(account_class),
    )


def forget_payee(session: Session, actor: Actor, payee_id: str) -> None:
    """Delete one of the caller's saved payees (404 ``payee`` if there is none of theirs by that id)."""
    gone = session.execute(
        delete(SavedPayee)
        .where(SavedPayee.public_id == payee_id, SavedPayee.customer_id == _customer(actor))
        .returning(SavedPayee.id)
    ).first()
    if gone is None:
        raise NotFound("payee")
