"""Reading accounts: one account with balance and limits, a customer's accounts, the statement."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import limits
from finlife.accounts.common import AccountRef, ensure_account_readable, is_owner
from finlife.accounts.models import DepositAccount
from finlife.accounts.numbers import mask_other_bank_number
from finlife.accounts.schemas import (
    AccountClass,
    AccountOut,
    AccountStatus,
    BalanceView,
    BoundAccountOut,
)
from finlife.kit.auth import Actor
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.masking import mask_card_number
from finlife.kit.pagination import Page, PageParams
from finlife.kit.permissions import Capability, may
from finlife.ledger import service as ledger
from finlife.ledger.schemas import StatementLineOut
from finlife.settings import Settings


def _ref(account: DepositAccount) -> AccountRef:
    return AccountRef(
        pk=account.id,
        public_id=account.public_id,
        customer_id=account.customer_id,
        account_class=AccountClass(account.account_class),
        status=account.status,
        currency=account.currency,
        ledger_account_id=account.ledger_account_id,
        bound_account_pk=account.bound_account_pk,
    )


def _bound_out(session: Session, account: DepositAccount) -> BoundAccountOut | None:
    if account.bound_account_pk is not None:
        bound_id = session.execute(
            select(DepositAccount.public_id).where(DepositAccount.id == account.bound_account_pk)
        ).scalar_one()
        return BoundAccountOut(account_id=bound_id, bank_code=None, number=None, verified=True)
    if account.bound_number is not None:
        return BoundAccountOut(
            account_id=None,
            bank_code=account.bound_bank_code,
            number=mask_other_bank_number(account.bound_number),
            verified=account.bound_verified,
        )
    return None


def account_out(
    session: Session, settings: Settings, actor: Actor, account: DepositAccount, *, in_list: bool = False
) -> AccountOut:
    """The account as this reader may see it: the full number for its owner and serving staff only
    (and never in lists, which show numbers masked)."""
    entitled = is_owner(actor, account.customer_id) or may(actor, Capability.ACCOUNTS_READ)
    masked = in_list or not entitled
    balance = ledger.balance(session, account.ledger_account_id)
    return AccountOut(
        id=account.public_id,
        number=mask_card_number(account.number) if masked else account.number,
        masked=masked,
        customer_id=account.customer_id,
        account_class=AccountClass(account.account_class),
        status=AccountStatus(account.status),
        currency=account.currency,
        balance=BalanceView(ledger=balance.ledger, available=balance.available, held=balance.held),
        limits=limits.limits_view(session, settings, _ref(account)),
        bound_account=_bound_out(session, account),
        opened_at=account.opened_at,
    )


def _load(session: Session, account_id: str) -> DepositAccount:
    account = session.execute(
        select(DepositAccount).where(DepositAccount.public_id == account_id)
    ).scalar_one_or_none()
    if account is None:
        raise NotFound("account")
    return account


def get_account(session: Session, settings: Settings, actor: Actor, account_id: str) -> AccountOut:
    """One account with balance and today's/this year's limits, for its owner or staff with accounts_read."""
    account = _load(session, account_id)
    ensure_account_readable(actor, account.public_id, account.customer_id)
    return account_out(session, settings, actor, account)


def list_customer_accounts(
    session: Session, settings: Settings, actor: Actor, customer_id: str
) -> Page[AccountOut]:
    """A customer's accounts (numbers masked), oldest first, for the owner, tellers and bank admins.

    At most eleven accounts per customer (one Class I, five II, five III), so one balance read
    per account stays small.
    """
    if actor.grant is not None:  # a partner: the consenting customer's accounts it names, no other
        if actor.grant.customer_id != customer_id:
            raise NotFound("customer")
    elif not (is_owner(actor, customer_id) or may(actor, Capability.ACCOUNTS_READ)):
        if actor.customer_id is not None:
            raise NotFound("customer")
        raise Forbidden()
    data = accounts_of(session, settings, actor, customer_id)
    readable = [row for row in data if actor.grant is None or row.id in actor.grant.account_ids]
    return Page[AccountOut](data=readable, has_more=False)


def accounts_of(session: Session, settings: Settings, actor: Actor, customer_id: str) -> list[AccountOut]:
    """The customer's accounts, numbers masked, oldest first, for a reader already admitted (by
    ``list_customer_accounts`` here, by the 360 view's own rule there)."""
    rows = session.execute(
        select(DepositAccount).where(DepositAccount.customer_id == customer_id).order_by(DepositAccount.id)
    ).scalars()
    return [account_out(session, settings, actor, row, in_list=True) for row in rows]


def statement(session: Session, actor: Actor, account_id: str, params: PageParams) -> Page[StatementLineOut]:
    """The account's entries, newest first, amounts signed from the account's view (cursor pages).
    A partner reads the entries made within its consent's dates (from its authorisation on)."""
    account = _load(session, account_id)
    ensure_account_readable(actor, account.public_id, account.customer_id)
    since = actor.grant.valid_from if actor.grant is not None else None
    return ledger.statement(session, account.ledger_account_id, params, since=since)
