"""A customer without a login (registered at a partner, or created at the counter) sets a password
with a one-time code sent to the phone on their record; their login is that phone, as at sign-up.

A bank does this rather than send a password: only the person holding the phone can set it, and
nothing secret travels by text message except a code that works once, for five minutes.

Asking for a code answers the same whether or not the phone is a customer's without a login: the
code goes out only when it is, and the caller cannot tell. Asking (each ask may text a phone) and
guessing wrong are throttled per source, as ``self_unlock`` does; each code takes five wrong
guesses. Both functions return a refusal rather than raise it: what they counted must be committed
with it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.customers import messages  # noqa: F401 - registers the words of these rules
from finlife.customers.errors import WeakPassword
from finlife.customers.models import Customer
from finlife.customers.service import _record_change, _valid_phone
from finlife.identity import one_time_codes, sms, throttle
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import DEFAULT_LANGUAGE, translate
from finlife.settings import Settings

# The code's subject is the customer's public id: a code sent to activate one customer's login
# activates no other, and one sent for another purpose (an unlock) activates nothing.
PURPOSE = "activate_login"


def _without_login(session: Session, phone: str) -> Customer | None:
    """The customer whose phone this is, if they have no login yet."""
    customer = session.execute(select(Customer).where(Customer.phone == phone)).scalar_one_or_none()
    if customer is None or identity.find_by_customer(session, customer.public_id) is not None:
        return None
    return customer


def request_code(session: Session, settings: Settings, *, phone: str, source: str) -> FinlifeError | None:
    """Text a code to ``phone`` if it is a customer's without a login (the answer is the same if not).
    An ill-formed phone raises ``invalid_phone`` before anything is counted or sent."""
    phone = _valid_phone(phone)
    refused = throttle.count_request(session, settings, f"activate-ask:{source}")
    if refused is not None:
        return refused
    customer = _without_login(session, phone)
    if customer is None:
        return None
    code = one_time_codes.issue(session, settings, purpose=PURPOSE, subject=customer.public_id)
    minutes = max(1, min(settings.one_time_code_ttl_seconds, 300) // 60)
    # The bank's texts go out in its own language (the customer record keeps no other).
    body = translate("sms.activation_code", DEFAULT_LANGUAGE, {"code": code, "minutes": minutes})
    sms.gateway.send(session, phone, body)
    return None


def activate_login(
    session: Session,
    settings: Settings,
    *,
    phone: str,
    code: str,
    password: str,
    source: str,
    channel: Channel,
) -> str | FinlifeError:
    """Spend the code and create the customer's login; its username (the phone), or the refusal."""
    # Wrong codes count against the source, as wrong passwords do: a guesser waits longer and longer.
    guesses = throttle.load(session, settings, source=f"activate-try:{source}", username=None)
    refused = throttle.refusal(guesses)
    if refused is not None:
        return refused
    if len(password) < identity.MIN_PASSWORD_LENGTH:
        return WeakPassword()
    customer = _without_login(session, phone.strip())
    subject = customer.public_id if customer is not None else None
    try:
        one_time_codes.use(session, settings, purpose=PURPOSE, subject=subject, code=code.strip())
    except one_time_codes.OneTimeCodeInvalid as invalid:
        throttle.record_failure(guesses, settings)
        return invalid
    assert customer is not None  # a code was found for it
    user = identity.create_user(
        session,
        settings,
        username=customer.phone,
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
