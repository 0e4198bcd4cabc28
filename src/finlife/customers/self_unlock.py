"""The owner unlocks their own login, frozen by failed sign-ins (``identity.throttle``), with a code
sent to the phone on their customer record: the verified channel is that phone, registered (and, for
a customer met at the branch, checked) when they became a customer. The teller at the counter
(``sign_in_unlock``) remains the way for somebody who lost their phone.

Asking for a code answers the same whether or not the username exists, is a customer's, or is
frozen: the code goes out only when all three hold, and the caller cannot tell. Asking (each
ask may text a phone) and guessing wrong are throttled per source as failed sign-ins are
(``identity.throttle``); each code takes five wrong guesses.
Both functions return a refusal rather than raise it: what they counted must be committed with it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.customers.service import _find, _record_change
from finlife.identity import one_time_codes, sms, throttle
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.kit.i18n import DEFAULT_LANGUAGE, translate
from finlife.settings import Settings

PURPOSE = "sign_in_unlock"


def request_code(session: Session, settings: Settings, *, username: str, source: str) -> FinlifeError | None:
    """Send an unlock code to the owner's phone if ``username`` is a customer's frozen login."""
    refused = throttle.count_request(session, settings, f"unlock-ask:{source}")
    if refused is not None:
        return refused
    login = identity.find_by_username(session, username.strip())
    if login is None or login.customer_id is None or not identity.sign_in_frozen(session, login.id):
        return None
    customer = _find(session, login.customer_id)
    code = one_time_codes.issue(session, settings, purpose=PURPOSE, subject=login.id)
    minutes = max(1, min(settings.one_time_code_ttl_seconds, 300) // 60)
    # The bank's texts go out in its own language (the customer record keeps no other).
    body = translate("sms.unlock_code", DEFAULT_LANGUAGE, {"code": code, "minutes": minutes})
    sms.gateway.send(session, customer.phone, body)
    return None


def unlock(
    session: Session,
    settings: Settings,
    *,
    username: str,
    code: str,
    new_password: str | None,
    source: str,
    channel: Channel,
) -> FinlifeError | None:
    """Spend the code and reopen the login (with ``new_password``, if one is given)."""
    # Wrong codes count against the source, as wrong passwords do: a guesser waits longer and longer.
    guesses = throttle.load(session, settings, source=f"unlock-try:{source}", username=None)
    refused = throttle.refusal(guesses)
    if refused is not None:
        return refused
    if new_password is not None and len(new_password) < identity.MIN_PASSWORD_LENGTH:
        return FinlifeError("weak_password", status=422, field="new_password")
    login = identity.find_by_username(session, username.strip())
    subject = login.id if login is not None and login.customer_id is not None else None
    try:
        one_time_codes.use(session, settings, purpose=PURPOSE, subject=subject, code=code.strip())
    except one_time_codes.OneTimeCodeInvalid as invalid:
        throttle.record_failure(guesses, settings)
        return invalid
    assert login is not None and login.customer_id is not None  # a code was found for it
    if new_password is not None:
        identity.set_password(session, settings, login.id, new_password)
    identity.unlock_sign_in(session, settings, login.id)
    owner = Actor(
        channel=channel,
        user_id=login.id,
        username=login.username,
        roles=frozenset({Role.CUSTOMER}),
        customer_id=login.customer_id,
    )
    facts = {"verified_by": "sms_code", "password_changed": new_password is not None}
    _record_change(session, owner, _find(session, login.customer_id), "customer.sign_in_unlocked", facts)
    return None


def resend_code(session: Session, settings: Settings, customer_id: str) -> bool:
    """Send the customer a new unlock code when their login is frozen (the service centre, on their
    call); False when there is nothing to unlock. The text goes to the phone on record, never to a
    number the caller gives; each new code replaces the last."""
    login = identity.find_by_customer(session, customer_id)
    if login is None or not identity.sign_in_frozen(session, login.id):
        return False
    customer = _find(session, customer_id)
    code = one_time_codes.issue(session, settings, purpose=PURPOSE, subject=login.id)
    minutes = max(1, min(settings.one_time_code_ttl_seconds, 300) // 60)
    body = translate("sms.unlock_code", DEFAULT_LANGUAGE, {"code": code, "minutes": minutes})
    sms.gateway.send(session, customer.phone, body)
    return True
