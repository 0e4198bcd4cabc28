"""When a transfer needs the payment password, one rule for every channel that moves a customer's
money on their own credential (``POST /v1/transfers``, the app's transfer pages).

A customer paying *someone else* more than ``transfer_password_threshold`` proves it with their payment
password (``identity.payment_password``). Staff at the branch, partners acting under a consent and
devices keep their own rules (the counter's verification, the consent's scope, the card's PIN): the
rule reads the credential's customer, which only a customer's own token carries.

Wrong tries are returned, not raised: the caller commits the count in a unit of work of its own,
before the refusal is answered, so a guesser cannot roll them back.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from finlife.accounts.facts import account_facts
from finlife.identity import payment_password
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError, NotFound, RuleViolation
from finlife.settings import Settings


def may_need_payment_password(settings: Settings, actor: Actor, amount: int) -> bool:
    """Without a query: a customer's own credential moving more than the threshold. Below it (the
    hot path's usual case) nothing else is asked."""
    return (
        actor.customer_id is not None
        and actor.grant is None
        and amount > settings.transfer_password_threshold
    )


def needs_payment_password(settings: Settings, actor: Actor, *, amount: int, to_own: bool) -> bool:
    """The rule: a customer's own credential, to someone else, above the threshold (itself needs none)."""
    return may_need_payment_password(settings, actor, amount) and not to_own


def payee_is_own(session: Session, actor: Actor, to_account_id: str) -> bool:
    """Whether the account here belongs to the caller; an unknown account counts as someone else's
    (the transfer itself answers that it does not exist)."""
    try:
        return account_facts(session, to_account_id).customer_id == actor.customer_id
    except NotFound:
        return False


def check_payment_password(
    session: Session, settings: Settings, actor: Actor, password: str | None
) -> FinlifeError | None:
    """None when ``password`` is the caller's payment password; else why not: 422
    ``payment_password_required`` (none given), ``payment_password_not_set``, ``payment_password_wrong``
    (a try counted), 423 ``payment_password_locked``. Commit the session before raising the refusal."""
    if not password:
        return RuleViolation("payment_password_required", field="payment_password")
    return payment_password.check(session, settings, actor.user_id or "", password)
