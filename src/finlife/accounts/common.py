"""What every accounts service needs: one-query account lookup, who may see or move what, and the
record of a change (audit, outbox event, customer interaction) in the change's own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.errors import AccountNotActive, CurrencyMismatch
from finlife.accounts.models import DepositAccount
from finlife.accounts.schemas import AccountClass, AccountStatus
from finlife.audit import service as audit
from finlife.customers import service as customers
from finlife.kit import outbox
from finlife.kit.auth import Actor, Channel, require_channel
from finlife.kit.db import table_of
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.permissions import Capability, may

_accounts = table_of(DepositAccount)
_COLUMNS = (
    _accounts.c.id,
    _accounts.c.public_id,
    _accounts.c.customer_id,
    _accounts.c.account_class,
    _accounts.c.status,
    _accounts.c.currency,
    _accounts.c.ledger_account_id,
    _accounts.c.bound_account_pk,
)


@dataclass(frozen=True, slots=True)
class AccountRef:
    """The few facts a money movement needs about a deposit account."""

    pk: int
    public_id: str
    customer_id: str
    account_class: AccountClass
    status: str
    currency: str
    ledger_account_id: str
    bound_account_pk: int | None

    def is_bound_to(self, other: AccountRef) -> bool:
        """Money between an account and its bound account (either way) is not limited."""
        return self.bound_account_pk == other.pk or other.bound_account_pk == self.pk

    def require_active(self) -> None:
        if self.status != AccountStatus.ACTIVE:
            raise AccountNotActive()

    def require_currency(self, currency: str) -> None:
        if currency != self.currency:
            raise CurrencyMismatch(self.currency)


def _ref(row: Any) -> AccountRef:
    return AccountRef(
        pk=row.id,
        public_id=row.public_id,
        customer_id=row.customer_id,
        account_class=AccountClass(row.account_class),
        status=row.status,
        currency=row.currency,
        ledger_account_id=row.ledger_account_id,
        bound_account_pk=row.bound_account_pk,
    )


def resolve(session: Session, public_ids: Iterable[str]) -> dict[str, AccountRef]:
    """The named accounts that exist, with one SELECT."""
    wanted = sorted(set(public_ids))
    rows = session.execute(select(*_COLUMNS).where(_accounts.c.public_id.in_(wanted))).all()
    return {row.public_id: _ref(row) for row in rows}


def resolve_by_ledger(session: Session, ledger_ids: Iterable[str]) -> dict[str, AccountRef]:
    """Deposit accounts keyed by their ledger account ids (for holds, which speak ledger ids)."""
    wanted = sorted(set(ledger_ids))
    rows = session.execute(select(*_COLUMNS).where(_accounts.c.ledger_account_id.in_(wanted))).all()
    return {row.ledger_account_id: _ref(row) for row in rows}


def resolve_one(session: Session, public_id: str) -> AccountRef:
    found = resolve(session, [public_id]).get(public_id)
    if found is None:
        raise NotFound("account")
    return found


def is_owner(actor: Actor, customer_id: str) -> bool:
    return actor.customer_id is not None and actor.customer_id == customer_id


def ensure_readable(actor: Actor, customer_id: str) -> None:
    """Owners and staff who serve customers read an account (balance, statement, cards); marketing does
    not (403); another customer learns nothing (404)."""
    if is_owner(actor, customer_id) or may(actor, Capability.ACCOUNTS_READ):
        return
    if actor.customer_id is not None:
        raise NotFound("account")
    raise Forbidden()


def ensure_account_readable(actor: Actor, account_id: str, customer_id: str) -> None:
    """The one place that decides who reads an account. A partner (an OAuth2 token under a
    customer's consent) reads only the accounts its consent names, of that customer: anything else
    is 404, as another customer's account is to a customer. People follow ``ensure_readable``."""
    if actor.grant is not None:
        grant = actor.grant
        if grant.customer_id == customer_id and account_id in grant.account_ids:
            return
        raise NotFound("account")
    ensure_readable(actor, customer_id)


def ensure_serving(actor: Actor, customer_id: str) -> None:
    """Owners and serving staff (teller, bank admin) act on an account; others get 404 or 403."""
    if is_owner(actor, customer_id) or may(actor, Capability.ACCOUNTS_SERVE):
        return
    if actor.customer_id is not None:
        raise NotFound("account")
    raise Forbidden()


def ensure_may_debit(actor: Actor, account: AccountRef) -> None:
    """The owner moves money out of their own account; serving staff do so at the branch counter."""
    if is_owner(actor, account.customer_id):
        return
    if may(actor, Capability.ACCOUNTS_SERVE):
        require_channel(actor, Channel.BRANCH)
        return
    if actor.customer_id is not None:
        raise NotFound("account")
    raise Forbidden()


def record_change(
    session: Session,
    actor: Actor,
    event: str,
    *,
    subject_type: str,
    subject_id: str,
    customer_id: str,
    facts: dict[str, Any],
) -> None:
    """Audit row, outbox event and customer interaction; ``facts`` holds masked data only."""
    audit.record(session, actor, event, subject_type=subject_type, subject_id=subject_id, details=facts)
    outbox.publish(
        session,
        event,
        {f"{subject_type}_id": subject_id, "customer_id": customer_id, **facts},
        channel=actor.channel.value,
    )
    customers.record_interaction(session, actor, customer_id, event, facts)
