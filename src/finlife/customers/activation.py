"""A customer without a login (registered at a partner, or created at the counter) sets a password
with a one-time code sent to the phone on their record; their login is that phone, as at sign-up.

A bank does this rather than send a password: only the person holding the phone can set it, and
nothing secret travels by text message except a code that works once, for five minutes.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.customers import messages  # noqa: F401 - registers the words of these rules
from finlife.customers.errors import WeakPassword
from finlife.customers.models import Customer
from finlife.customers.service import _record_change, _valid_phone
from finlife.identity import service as identity
from finlife.identity.one_time_codes import check_code, send_code
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import Conflict, NotFound
from finlife.kit.ids import new_id
from finlife.settings import Settings

PURPOSE = "activate_login"


def _customer_by_phone(session: Session, phone: str) -> Customer | None:
    return session.execute(select(Customer).where(Customer.phone == phone)).scalar_one_or_none()


def start_activation(session: Session, settings: Settings, *, phone: str) -> str:
    """Text a code to ``phone`` if it is a customer's without a login; the challenge id either way,
    so the answer does not tell a stranger whose number this is."""
    phone = _valid_phone(phone)
    customer = _customer_by_phone(session, phone)
    if customer is None or identity.find_by_customer(session, customer.public_id) is not None:
        return new_id("otc")  # a challenge nobody can answer
    return send_code(session, settings, phone=phone, purpose=PURPOSE)


def activate_login(
    session: Session, settings: Settings, *, challenge_id: str, code: str, password: str, channel: Channel
) -> str:
    """Check the code and create the customer's login; its username (the phone).

    A refused code raises after recording the attempt: commit before answering (see one_time_codes)."""
    if len(password) < identity.MIN_PASSWORD_LENGTH:
        raise WeakPassword()
    phone = check_code(session, challenge_id=challenge_id, code=code, purpose=PURPOSE)
    customer = _customer_by_phone(session, phone)
    if customer is None:
        raise NotFound("customer")
    if identity.find_by_customer(session, customer.public_id) is not None:
        raise Conflict("login_exists")
    user = identity.create_user(
        session,
        settings,
        username=phone,
        password=password,
        roles=[Role.CUSTOMER],
        customer_id=customer.public_id,
    )
    author = Actor(
        channel=channel,
        user_id=user.id,
        username=user.username,
        roles=frozenset({Role.CUSTOMER}),
        customer_id=customer.public_id,
    )
    _record_change(session, author, customer, "customer.login_activated", {})
    return user.username
