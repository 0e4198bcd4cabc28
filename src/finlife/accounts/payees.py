"""Finding whom a customer pays the way banks do it: by account or card number with the payee's name
checked against the account, or by the phone number a customer registered. The answer names the
payee masked ("*三", "Z** San"), enough to recognise, not to learn a stranger's name.

An unknown number and a wrong name are one refusal (422 ``payee_name_mismatch``), so the check does
not tell which numbers exist. Every refusal counts against the asking login (``identity.throttle``,
under its own key): past ``login_free_failures`` each one makes the next check wait 2^k seconds (429
``sign_in_throttled``), so names cannot be guessed number by number. The count is returned with the
refusal, for the caller to commit (as sign-in does).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts.cards import find_card_by_pan
from finlife.accounts.models import DepositAccount
from finlife.accounts.schemas import AccountClass, AccountStatus, PayeeOut
from finlife.customers import service as customers
from finlife.identity import throttle
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError, RuleViolation
from finlife.settings import Settings


def mask_name(name: str) -> str:
    """ "张三" → "*三", "欧阳娜娜" → "***娜"; "Zhang San" → "Z** San" (the last word whole)."""
    words = name.split()
    if len(words) > 1:
        return " ".join([f"{word[0]}**" for word in words[:-1]] + [words[-1]])
    return "*" * (len(name) - 1) + name[-1:] if len(name) > 1 else name


def _same_name(typed: str, on_record: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(on_record.split()).casefold()


def _by_number(session: Session, settings: Settings, number: str) -> DepositAccount | None:
    digits = "".join(number.split())
    if not digits.isdigit():
        return None
    row = session.execute(select(DepositAccount).where(DepositAccount.number == digits)).scalar_one_or_none()
    if row is not None:
        return row
    card = find_card_by_pan(session, settings, digits)
    if card is None:
        return None
    found: DepositAccount | None = session.execute(
        select(DepositAccount).where(DepositAccount.public_id == card.account_id)
    ).scalar_one_or_none()
    return found


def _by_phone(session: Session, phone: str) -> DepositAccount | None:
    """The registered customer's account that receives transfers by phone: their Class I, else their
    oldest active account."""
    customer_id = customers.customer_by_phone(session, "".join(phone.split()))
    if customer_id is None:
        return None
    rows = session.execute(
        select(DepositAccount)
        .where(DepositAccount.customer_id == customer_id, DepositAccount.status == AccountStatus.ACTIVE.value)
        .order_by(DepositAccount.id)
    ).scalars()
    active = list(rows)
    class_i = [a for a in active if a.account_class == AccountClass.I.value]
    chosen = class_i or active
    return chosen[0] if chosen else None


def _out(session: Session, account: DepositAccount, typed_number: str | None) -> PayeeOut:
    """The payee as confirmed: masked, with the last four digits of the number the customer typed
    (their card's, when they paid a card number), else of the account."""
    name = customers.customer_facts(session, account.customer_id).name
    digits = "".join((typed_number or "").split())
    return PayeeOut(
        account_id=account.public_id,
        masked_name=mask_name(name),
        number_last4=(digits or account.number)[-4:],
        account_class=AccountClass(account.account_class),
    )


def check_payee(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    number: str | None = None,
    name: str | None = None,
    phone: str | None = None,
) -> PayeeOut | FinlifeError:
    """The payee of an account or card number whose holder is ``name``, or of a registered phone.
    A refusal is returned (and counted): commit it."""
    limiter = throttle.load(session, settings, source=f"payee_check:{actor.user_id}", username=None)
    refused = throttle.refusal(limiter)
    if refused is not None:
        return refused
    account = None
    if phone:
        account = _by_phone(session, phone)
    elif number and name:
        candidate = _by_number(session, settings, number)
        holder = customers.customer_facts(session, candidate.customer_id).name if candidate else ""
        account = candidate if candidate is not None and _same_name(name, holder) else None
    if account is None or account.status != AccountStatus.ACTIVE.value:
        throttle.record_failure(limiter, settings)
        session.flush()
        field = "phone" if phone else "name"
        code = "payee_phone_unknown" if phone else "payee_name_mismatch"
        return RuleViolation(code, field=field)
    return _out(session, account, None if phone else number)
