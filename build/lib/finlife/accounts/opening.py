"""Opening Class I/II/III deposit accounts under the PBoC account-class rules (domain-rules.md)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.common import SERVING_STAFF, AccountRef, is_owner, record_change, resolve
from finlife.accounts.errors import (
    AccountClassQuota,
    BoundAccountInvalid,
    BoundAccountNotVerified,
    BoundAccountRequired,
    ClassIExists,
    KycLevelInsufficient,
    UnsupportedCurrency,
)
from finlife.accounts.external import verify_other_bank_binding
from finlife.accounts.models import AccountClassCount, DepositAccount
from finlife.accounts.numbers import (
    ACCOUNT_NUMBER_LENGTH,
    mask_other_bank_number,
    with_check_digit,
)
from finlife.accounts.reading import account_out
from finlife.accounts.schemas import AccountClass, AccountOut, AccountStatus, BoundAccountIn
from finlife.customers import service as customers
from finlife.customers.schemas import CustomerFacts, KycLevel
from finlife.kit.auth import Actor, Channel, require_channel
from finlife.kit.clock import clock
from finlife.kit.db import increment_counter, table_of
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.masking import mask_card_number
from finlife.kit.money import is_known_currency
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind
from finlife.settings import Settings

_counts = table_of(AccountClassCount)


def _at_counter(actor: Actor, customer_id: str, account_class: AccountClass) -> bool:
    """Staff open at the branch counter; a customer opens their own Class II/III remotely."""
    if actor.has(*SERVING_STAFF):
        require_channel(actor, Channel.BRANCH)
        return True
    if actor.customer_id is None:
        raise Forbidden()
    if not is_owner(actor, customer_id):
        raise NotFound("customer")
    if account_class is AccountClass.I:
        require_channel(actor, Channel.BRANCH)  # Class I needs the counter: always refused here
    return False


def _check_kyc(facts: CustomerFacts, account_class: AccountClass) -> None:
    if account_class is AccountClass.I:
        if facts.kyc_level is not KycLevel.VERIFIED_IN_PERSON:
            raise KycLevelInsufficient(KycLevel.VERIFIED_IN_PERSON.value)
    elif facts.kyc_level is KycLevel.REGISTERED:
        raise KycLevelInsufficient(KycLevel.VERIFIED_REMOTE.value)


def _bound_here(session: Session, customer_id: str, account_id: str) -> AccountRef:
    bound = resolve(session, [account_id]).get(account_id)
    if (
        bound is None
        or bound.customer_id != customer_id
        or bound.account_class is not AccountClass.I
        or bound.status != AccountStatus.ACTIVE
    ):
        raise BoundAccountInvalid()
    return bound


def _confirmed_by_other_bank(session: Session, actor: Actor, customer_id: str, bound: BoundAccountIn) -> bool:
    """The other bank must confirm the account is this person's before the account opens (422 when
    it says no). A bank we are not connected to cannot be asked: the binding is kept, unverified."""
    assert bound.bank_code is not None and bound.number is not None
    person = customers.get_customer(session, actor, customer_id)
    verified = verify_other_bank_binding(
        session, bound.bank_code, bound.number, person.name, person.id_number
    )
    if verified is False:
        raise BoundAccountNotVerified()
    return verified is True


def _apply_binding(
    session: Session,
    settings: Settings,
    actor: Actor,
    account: DepositAccount,
    bound: BoundAccountIn | None,
    *,
    required: bool,
) -> dict[str, str]:
    """Bind the same person's Class I account here, or an account at another bank; masked facts out."""
    if bound is None or (bound.account_id is None and bound.number is None and bound.bank_code is None):
        if required:
            raise BoundAccountRequired()
        return {}
    if account.account_class == AccountClass.I.value:
        raise BoundAccountInvalid()
    if bound.account_id is not None and bound.number is None and bound.bank_code is None:
        account.bound_account_pk = _bound_here(session, account.customer_id, bound.account_id).pk
        account.bound_verified = True
        return {"bound_account_id": bound.account_id}
    if (
        bound.account_id is None
        and bound.number
        and bound.bank_code
        and bound.bank_code != settings.bank_code
    ):
        account.bound_bank_code = bound.bank_code
        account.bound_number = bound.number
        account.bound_verified = _confirmed_by_other_bank(session, actor, account.customer_id, bound)
        return {"bound_bank_code": bound.bank_code, "bound_number": mask_other_bank_number(bound.number)}
    raise BoundAccountInvalid()


def _check_quota(session: Session, settings: Settings, customer_id: str, account_class: AccountClass) -> None:
    """One atomic counter per customer and class: two racing openings cannot both pass the quota."""
    opened = increment_counter(
        session,
        _counts,
        keys={"customer_id": customer_id, "account_class": account_class.value},
        column="opened",
        amount=1,
    )
    if account_class is AccountClass.I:
        if opened > 1:
            raise ClassIExists()
        return
    quota = (
        settings.class_ii_max_accounts
        if account_class is AccountClass.II
        else settings.class_iii_max_accounts
    )
    if opened > quota:
        raise AccountClassQuota(account_class.value, quota)


def _new_number(session: Session, settings: Settings) -> str:
    while True:
        number = with_check_digit(settings.account_prefix, ACCOUNT_NUMBER_LENGTH)
        taken = session.execute(select(DepositAccount.id).where(DepositAccount.number == number)).first()
        if taken is None:
            return number


def open_account(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    customer_id: str,
    account_class: AccountClass,
    bound_account: BoundAccountIn | None = None,
    currency: str = "CNY",
) -> AccountOut:
    """Open a deposit account: Class I at the counter for customers verified in person (one each);
    Class II/III for verified customers, bound to the same person's account when opened remotely."""
    at_counter = _at_counter(actor, customer_id, account_class)
    facts = customers.customer_facts(session, customer_id)
    _check_kyc(facts, account_class)
    if not is_known_currency(currency):
        raise UnsupportedCurrency(currency)
    public_id = new_id("acc")
    account = DepositAccount(
        public_id=public_id,
        customer_id=customer_id,
        account_class=account_class.value,
        status=AccountStatus.ACTIVE.value,
        currency=currency,
        bound_verified=False,
        opened_channel=actor.channel.value,
        opened_at=clock.now(),
    )
    binding = _apply_binding(session, settings, actor, account, bound_account, required=not at_counter)
    _check_quota(session, settings, customer_id, account_class)
    cap = settings.class_iii_balance_cap if account_class is AccountClass.III else None
    account.ledger_account_id = ledger.open_account(
        session,
        code=f"deposit:{public_id}",
        name=f"Class {account_class.value} deposit {public_id}",
        kind=AccountKind.LIABILITY,
        currency=currency,
        balance_cap=cap,
    ).id
    account.number = _new_number(session, settings)
    session.add(account)
    session.flush()
    facts_out = {"class": account_class.value, "number": mask_card_number(account.number), **binding}
    record_change(
        session,
        actor,
        "account.opened",
        subject_type="account",
        subject_id=public_id,
        customer_id=customer_id,
        facts=facts_out,
    )
    return account_out(session, settings, actor, account)
