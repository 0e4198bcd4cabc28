"""Reopening a customer's login frozen by failed sign-ins (identity.throttle): the verified channel is a
teller at the branch counter, who checks the identity document the customer presents against the
number verified on their record (the API, and the button on the teller's customer page). The owner
can also unlock it with a code texted to the phone on their record (``self_unlock``); nobody can
unlock a login remotely with what a guesser could know."""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.customers.errors import IdNumberMismatch
from finlife.customers.service import _find, _record_change, _valid_id_number
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, require_channel
from finlife.kit.errors import NotFound
from finlife.kit.permissions import Capability, require
from finlife.settings import Settings


def sign_in_frozen(session: Session, customer_id: str) -> bool:
    """Whether the customer's login (if they have one) is frozen by failed sign-ins."""
    login = identity.find_by_customer(session, customer_id)
    return login is not None and identity.sign_in_frozen(session, login.id)


def unlock_sign_in(
    session: Session, settings: Settings, actor: Actor, customer_id: str, *, id_number: str
) -> None:
    """A teller at the branch reopens the customer's login once the presented ID matches the record."""
    require(actor, Capability.IDENTITY_VERIFICATION)
    require_channel(actor, Channel.BRANCH)
    customer = _find(session, customer_id, for_update=True)
    if customer.id_number is None or customer.id_number != _valid_id_number(id_number):
        raise IdNumberMismatch()
    login = identity.find_by_customer(session, customer_id)
    if login is None:
        raise NotFound("user")
    identity.unlock_sign_in(session, settings, login.id)
    _record_change(session, actor, customer, "customer.sign_in_unlocked", {})
