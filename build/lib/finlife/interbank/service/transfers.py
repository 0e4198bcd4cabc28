"""Credit transfers with other banks over ISO 20022.

Out: the payer's money is held (a ledger hold towards the bank's clearing account) and the transfer
answered ``pending``; after the request commits, a worker sends the pacs.008 and applies the
pacs.002: ACSC captures the hold, RJCT voids it. No answer leaves it pending with the hold in
place; ``deliver_pending`` sends it again with the same UETR, which the other bank applies once.
In: a pacs.008 to one of our accounts is credited under the account rules, or rejected with an ISO
reason; the same UETR is answered with the first outcome and applied once.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from finlife.accounts import service as accounts
from finlife.accounts.errors import (
    AccountNotActive,
    CurrencyMismatch,
    LimitExceeded,
    TransferInNotAllowed,
)
from finlife.accounts.schemas import OtherBankDestination, OtherBankTransferOut
from finlife.audit import service as audit
from finlife.customers import service as customers
from finlife.interbank.errors import NotOtherBank
from finlife.interbank.models import InterbankTransfer
from finlife.interbank.service.directory import get_bank
from finlife.kit import iso20022
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import savepoint
from finlife.kit.errors import FinlifeError, NotFound
from finlife.kit.ids import new_id
from finlife.ledger import service as ledger
from finlife.ledger.errors import BalanceCapExceeded
from finlife.ledger.errors import CurrencyMismatch as LedgerCurrencyMismatch
from finlife.settings import Settings

# Our refusals of an inbound transfer as ISO 20022 external status reason codes.
INBOUND_REASONS: dict[type[FinlifeError], str] = {
    NotFound: "AC01",  # incorrect account number
    AccountNotActive: "AC06",  # blocked account
    CurrencyMismatch: "AM03",  # currency not allowed
    LedgerCurrencyMismatch: "AM03",
    TransferInNotAllowed: "AG01",  # transaction forbidden (Class II never met in person)
    LimitExceeded: "AM02",  # not allowed amount (class limits)
    BalanceCapExceeded: "AM02",
}


def _masked(number: str) -> str:
    """Another bank's account number, shown by its last four digits (C2 data)."""
    return "**** " + number[-4:] if len(number) > 4 else "****"


def _out(row: InterbankTransfer) -> OtherBankTransferOut:
    return OtherBankTransferOut(
        id=row.public_id,
        direction=row.direction,
        account_id=row.account_id or "",
        bank_code=row.bank_code,
        counterparty_account=_masked(row.counterparty_account),
        counterparty_name=row.counterparty_name,
        amount=row.amount,
        currency=row.currency,
        memo=row.memo,
        status=row.status,
        reason=row.reason,
        uetr=row.uetr,
        created_at=row.created_at,
        completed_at=row.completed_at,
    )


def _find(session: Session, transfer_id: str) -> InterbankTransfer:
    row = session.execute(
        select(InterbankTransfer).where(InterbankTransfer.public_id == transfer_id)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound("transfer")
    return row


def get_transfer(session: Session, actor: Actor, transfer_id: str) -> OtherBankTransferOut:
    """One interbank transfer, to its customer or bank staff (404 to anybody else)."""
    row = _find(session, transfer_id)
    if not (actor.is_staff or (actor.customer_id is not None and actor.customer_id == row.customer_id)):
        raise NotFound("transfer")
    return _out(row)


def send_transfer(
    session: Session,
    settings: Settings,
    actor: Actor,
    from_account_id: str,
    destination: OtherBankDestination,
    amount: int,
    currency: str,
    memo: str,
) -> OtherBankTransferOut:
    """Hold the money and queue the pacs.008; ``pending`` until the other bank's pacs.002."""
    if destination.bank_code == settings.bank_code:
        raise NotOtherBank()
    bank = get_bank(session, destination.bank_code)
    if bank.iso20022_url is None:
        raise NotOtherBank()
    transfer_id = new_id("ibt")
    reserved = accounts.reserve_for_other_bank(
        session,
        settings,
        actor,
        account_id=from_account_id,
        amount=amount,
        currency=currency,
        bank_code=bank.code,
        number=destination.account_number,
        clearing_ledger_account_id=bank.clearing_account_id,
        reference=transfer_id,
    )
    now = clock.now()
    row = InterbankTransfer(
        public_id=transfer_id,
        direction="out",
        bank_code=bank.code,
        uetr=str(uuid.uuid4()),
        end_to_end_id=transfer_id,
        msg_id=f"{settings.bank_code}{uuid.uuid4().hex[:24]}",
        account_id=reserved.account_id,
        customer_id=reserved.customer_id,
        counterparty_account=destination.account_number,
        counterparty_name=destination.name,
        amount=amount,
        currency=currency,
        memo=memo,
        status="pending",
        hold_id=reserved.hold.id,
        attempts=0,
        business_date=clock.business_day(now),
        created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "transfer.sent",
        subject_type="transfer",
        subject_id=transfer_id,
        details={"bank": bank.code, "amount": amount, "currency": currency},
    )
    _deliver_after_commit(session, settings, transfer_id)
    return _out(row)


def _deliver_after_commit(session: Session, settings: Settings, transfer_id: str) -> None:
    engine = session.get_bind()
    assert isinstance(engine, Engine)

    def _start(_: Session) -> None:
        threading.Thread(
            target=deliver, args=(engine, settings, transfer_id), name=f"pacs008-{transfer_id}", daemon=True
        ).start()

    event.listen(session, "after_commit", _start, once=True)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    with sessionmaker(engine, expire_on_commit=False, autoflush=False)() as session, session.begin():
        yield session


def deliver(engine: Engine, settings: Settings, transfer_id: str) -> str:
    """Send one pending transfer's pacs.008 and apply the answer; its status afterwards."""
    with unit_of_work(engine) as session:
        row = _find(session, transfer_id)
        if row.status != "pending":
            return row.status
        bank = get_bank(session, row.bank_code)
        assert row.account_id is not None and row.customer_id is not None
        debtor_name = customers.customer_facts(session, row.customer_id).name
        debtor_number = accounts.account_number(session, row.account_id)
        message = iso20022.build_pacs008(
            iso20022.CreditTransfer(
                msg_id=row.msg_id,
                uetr=row.uetr,
                end_to_end_id=row.end_to_end_id,
                amount=row.amount,
                currency=row.currency,
                settlement_date=row.business_date,
                debtor_bank=settings.bank_code,
                debtor_account=debtor_number,
                debtor_name=debtor_name,
                creditor_bank=row.bank_code,
                creditor_account=row.counterparty_account,
                creditor_name=row.counterparty_name,
            )
        )
        row.attempts += 1
    report = _post(f"{bank.iso20022_url}/iso20022/pacs.008", message, bank.timeout_ms / 1000)
    if report is None:
        return "pending"  # no answer: the hold stays; deliver_pending sends it again
    with unit_of_work(engine) as session:
        return _apply_report(session, report, transfer_id)


def _post(url: str, message: bytes, timeout: float) -> iso20022.StatusReport | None:
    try:
        answer = httpx.post(
            url, content=message, headers={"Content-Type": iso20022.CONTENT_TYPE}, timeout=timeout
        )
        if answer.status_code != 200:
            return None
        return iso20022.parse_pacs002(answer.content)
    except (httpx.HTTPError, iso20022.MessageError):
        return None


def _apply_report(session: Session, report: iso20022.StatusReport, transfer_id: str) -> str:
    row = _find(session, transfer_id)
    if row.status != "pending" or report.uetr != row.uetr or row.hold_id is None:
        return row.status
    actor = Actor.system()
    bank = get_bank(session, row.bank_code)
    if report.status == iso20022.ACCEPTED:
        hold = ledger.capture_hold(
            session, actor, row.hold_id, amount=row.amount, default_destination=bank.clearing_account_id
        )
        row.status, row.entry_id = "completed", hold.capture_entry_id
    else:
        ledger.void_hold(session, actor, row.hold_id)
        row.status, row.reason = "rejected", report.reason or "NARR"
    row.completed_at = clock.now()
    session.flush()
    audit.record(
        session,
        actor,
        f"transfer.{row.status}",
        subject_type="transfer",
        subject_id=row.public_id,
        details={"bank": row.bank_code, "reason": row.reason},
    )
    return row.status


def deliver_pending(engine: Engine, settings: Settings) -> dict[str, str]:
    """Send every pending outbound transfer again (the sweep after an outage); id → status."""
    with unit_of_work(engine) as session:
        pending = (
            session.execute(
                select(InterbankTransfer.public_id)
                .where(InterbankTransfer.direction == "out", InterbankTransfer.status == "pending")
                .order_by(InterbankTransfer.id)
            )
            .scalars()
            .all()
        )
    return {transfer_id: deliver(engine, settings, transfer_id) for transfer_id in pending}


def _inbound_reason(
    session: Session, settings: Settings, transfer: iso20022.CreditTransfer
) -> tuple[str | None, accounts.Credited | None]:
    """Apply an inbound transfer: (None, what was credited) or (the ISO reason, None)."""
    if transfer.creditor_bank != settings.bank_code:
        return "AGNT", None  # incorrect agent: not addressed to us
    holder = accounts.account_holder(session, transfer.creditor_account)
    if holder is None:
        return "AC01", None
    if customers.customer_facts(session, holder).name != transfer.creditor_name:
        return "BE01", None  # inconsistent with the end customer
    bank = get_bank(session, transfer.debtor_bank)
    try:
        with savepoint(session):
            credited = accounts.credit_from_other_bank(
                session,
                settings,
                Actor.system(),
                account_number=transfer.creditor_account,
                amount=transfer.amount,
                currency=transfer.currency,
                bank_code=bank.code,
                from_number=transfer.debtor_account,
                clearing_ledger_account_id=bank.clearing_account_id,
                details={"uetr": transfer.uetr, "bank": bank.code},
            )
    except tuple(INBOUND_REASONS) as refusal:
        return INBOUND_REASONS[type(refusal)], None
    return None, credited


def receive_transfer(session: Session, settings: Settings, xml: bytes) -> bytes:
    """An inbound pacs.008 → the pacs.002 answer; a UETR seen before gets its first answer again."""
    transfer = iso20022.parse_pacs008(xml)
    known = session.execute(
        select(InterbankTransfer).where(InterbankTransfer.uetr == transfer.uetr)
    ).scalar_one_or_none()
    if known is None:
        get_bank(session, transfer.debtor_bank)  # an unknown sender is refused (422), not recorded
        reason, credited = _inbound_reason(session, settings, transfer)
        now = clock.now()
        known = InterbankTransfer(
            public_id=new_id("ibt"),
            direction="in",
            bank_code=transfer.debtor_bank,
            uetr=transfer.uetr,
            end_to_end_id=transfer.end_to_end_id[:35],
            msg_id=transfer.msg_id[:35],
            account_id=None if credited is None else credited.account_id,
            customer_id=None if credited is None else credited.customer_id,
            counterparty_account=transfer.debtor_account,
            counterparty_name=transfer.debtor_name[:140],
            amount=transfer.amount,
            currency=transfer.currency,
            memo="",
            status="completed" if reason is None else "rejected",
            reason=reason,
            entry_id=None if credited is None else credited.entry_id,
            attempts=1,
            business_date=clock.business_day(now),
            created_at=now,
            completed_at=now,
        )
        session.add(known)
        session.flush()
        details: dict[str, Any] = {"bank": known.bank_code, "amount": known.amount, "reason": reason}
        audit.record(
            session,
            Actor.system(),
            f"transfer.received.{known.status}",
            subject_type="transfer",
            subject_id=known.public_id,
            details=details,
        )
    return iso20022.build_pacs002(
        iso20022.StatusReport(
            msg_id=f"{settings.bank_code}{uuid.uuid4().hex[:24]}",
            original_msg_id=known.msg_id,
            end_to_end_id=known.end_to_end_id,
            uetr=known.uetr,
            status=iso20022.ACCEPTED if known.status == "completed" else iso20022.REJECTED,
            reason=known.reason,
        )
    )
