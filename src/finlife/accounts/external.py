"""Money between our deposit accounts and accounts at other banks, under the same account rules.

The interbank module (above accounts) sends and receives the messages; here are the account rules
it must not re-implement: who may debit, Class II/III limits on money that is not to or from the
bound account, Class II inflows only after a face-to-face check, Class III's balance cap (the
ledger enforces it). ``POST /v1/transfers`` with a ``destination`` reaches the interbank module
through ``register_other_bank_sender``, because accounts cannot import a module above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import limits
from finlife.accounts.common import AccountRef, ensure_may_debit, resolve, resolve_one
from finlife.accounts.errors import TransferInNotAllowed
from finlife.accounts.limits import IN, OUT, Charge
from finlife.accounts.models import DepositAccount
from finlife.accounts.schemas import AccountClass, OtherBankDestination, OtherBankTransferOut
from finlife.customers import service as customers
from finlife.customers.schemas import KycLevel
from finlife.kit.auth import Actor
from finlife.kit.errors import FinlifeError, NotFound
from finlife.ledger import service as ledger
from finlife.ledger.schemas import HoldOut
from finlife.settings import Settings

IN_FLIGHT_SECONDS = 7 * 24 * 3600  # a hold outlives any answer the other bank may still send

OtherBankSender = Callable[
    [Session, Settings, Actor, str, OtherBankDestination, int, str, str], OtherBankTransferOut
]
_senders: list[OtherBankSender] = []


def register_other_bank_sender(sender: OtherBankSender) -> None:
    """The interbank module plugs in how a transfer to another bank is sent (once per process)."""
    _senders[:] = [sender]


# (session, bank code, account number, holder's name, holder's ID number) → does the other bank confirm
# the account is that person's? None: no connection to that bank, nobody to ask.
BindingVerifier = Callable[[Session, str, str, str, str], bool | None]
_verifiers: list[BindingVerifier] = []


def register_binding_verifier(verifier: BindingVerifier) -> None:
    """The interbank module plugs in how another bank confirms a bound account (once per process)."""
    _verifiers[:] = [verifier]


def verify_other_bank_binding(
    session: Session, bank_code: str, number: str, name: str, id_number: str | None
) -> bool | None:
    """Ask the other bank whether ``number`` exists and belongs to this person (name and ID number).
    True or False as it answers; None when no verifier is plugged in or the bank is not connected.
    A person without an ID number on record cannot be confirmed (False)."""
    if not _verifiers:
        return None
    if not id_number:
        return False
    return _verifiers[0](session, bank_code, number, name, id_number)


def send_to_other_bank(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    from_account_id: str,
    destination: OtherBankDestination,
    amount: int,
    currency: str,
    memo: str = "",
) -> OtherBankTransferOut:
    """``POST /v1/transfers`` to another bank: handed to the registered sender."""
    if not _senders:
        raise FinlifeError("interbank_unavailable", status=503)
    return _senders[0](session, settings, actor, from_account_id, destination, amount, currency, memo)


@dataclass(frozen=True, slots=True)
class Reserved:
    """Money set aside in the payer's account for a transfer to another bank."""

    account_id: str
    number: str
    customer_id: str
    hold: HoldOut


def _binding(session: Session, account: AccountRef) -> tuple[str, str | None, str | None]:
    """The account's own number, and the other bank's code and account number it is bound to."""
    row = session.execute(
        select(DepositAccount.number, DepositAccount.bound_bank_code, DepositAccount.bound_number).where(
            DepositAccount.id == account.pk
        )
    ).one()
    return row.number, row.bound_bank_code, row.bound_number


def reserve_for_other_bank(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    account_id: str,
    amount: int,
    currency: str,
    bank_code: str,
    number: str,
    clearing_ledger_account_id: str,
    reference: str,
) -> Reserved:
    """Check the payer may send this and hold the money until the other bank answers; the hold's
    capture moves it to that bank's clearing account."""
    payer = resolve_one(session, account_id)
    ensure_may_debit(actor, payer)
    payer.require_active()
    payer.require_currency(currency)
    own_number, bound_bank, bound_number = _binding(session, payer)
    if (bound_bank, bound_number) != (bank_code, number):
        limits.count(session, settings, [Charge(payer, OUT, amount)])
    hold = ledger.place_hold(
        session,
        actor,
        account=payer.ledger_account_id,
        amount=amount,
        currency=currency,
        expires_in=IN_FLIGHT_SECONDS,
        destination=clearing_ledger_account_id,
        reference=reference,
    )
    return Reserved(payer.public_id, own_number, payer.customer_id, hold)


@dataclass(frozen=True, slots=True)
class Credited:
    account_id: str
    customer_id: str
    entry_id: str


def credit_from_other_bank(
    session: Session,
    settings: Settings,
    actor: Actor,
    *,
    account_number: str,
    amount: int,
    currency: str,
    bank_code: str,
    from_number: str,
    clearing_ledger_account_id: str,
    details: dict[str, Any],
) -> Credited:
    """Credit one of our accounts with money another bank sent (its clearing account is debited).

    Refusals raise the accounts' and ledger's own errors (unknown account, not active, Class II not
    met in person, over a limit, over Class III's cap) for the caller to turn into a reason."""
    public_id = session.execute(
        select(DepositAccount.public_id).where(DepositAccount.number == account_number)
    ).scalar_one_or_none()
    payee = None if public_id is None else resolve(session, [public_id]).get(public_id)
    if payee is None:
        raise NotFound("account")
    payee.require_active()
    payee.require_currency(currency)
    if _binding(session, payee)[1:] != (bank_code, from_number):
        if payee.account_class is AccountClass.II and (
            customers.customer_facts(session, payee.customer_id).kyc_level is not KycLevel.VERIFIED_IN_PERSON
        ):
            raise TransferInNotAllowed()
        limits.count(session, settings, [Charge(payee, IN, amount)])
    entry = ledger.post_pair(
        session,
        actor,
        debit=clearing_ledger_account_id,
        credit=payee.ledger_account_id,
        amount=amount,
        currency=currency,
        kind="interbank_transfer_in",
        memo=f"from {bank_code}",
        details={"account": payee.public_id, **details},
    )
    return Credited(payee.public_id, payee.customer_id, entry.id)


def account_number(session: Session, account_id: str) -> str:
    """The number of one of our accounts (what another bank knows it by)."""
    number: str | None = session.execute(
        select(DepositAccount.number).where(DepositAccount.public_id == account_id)
    ).scalar_one_or_none()
    if number is None:
        raise NotFound("account")
    return number


def account_id_by_number(session: Session, account_number: str) -> str | None:
    """The public id of our account with this number, if any (a payee or a binding named by number)."""
    public_id: str | None = session.execute(
        select(DepositAccount.public_id).where(DepositAccount.number == account_number)
    ).scalar_one_or_none()
    return public_id


def account_holder(session: Session, account_number: str) -> str | None:
    """The customer id of the account with this number, if any (for naming checks)."""
    customer: str | None = session.execute(
        select(DepositAccount.customer_id).where(DepositAccount.number == account_number)
    ).scalar_one_or_none()
    return customer
