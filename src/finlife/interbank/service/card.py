"""Off-us cards at our merchants: the issuer authorises over ISO 8583 and we book the acquiring side.

Booking on approval: the issuing bank's clearing account is debited (it owes us) and the merchant's
pending settlement account credited. No answer within the bank's timeout → the request is reversed
(0400, retried until a 0410 comes back) and the payment declined with 91 (issuer unavailable); a
late approval at the issuer is undone by that reversal, so money moves on neither side.
Reversals carry the RRN, amount, STAN and terminal but no PAN: the PAN is never stored, so a
reversal retried later could not carry it either; issuers match reversals by RRN.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from finlife.interbank.models import CardAuthorisation
from finlife.interbank.schemas import BankOut, CardAnswer, CardRequest
from finlife.interbank.service import wire
from finlife.interbank.service.directory import list_banks
from finlife.interbank.service.transfers import unit_of_work
from finlife.kit import iso8583
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.ids import new_id
from finlife.kit.iso8583 import Message
from finlife.ledger import service as ledger
from finlife.settings import Settings

APPROVED = "00"
ISSUER_UNAVAILABLE = "91"
PURCHASE = "000000"


def _request(row: CardAuthorisation, card: CardRequest | None) -> Message:
    message: Message = {
        "t": iso8583.FINANCIAL,
        "3": PURCHASE,
        "4": f"{row.amount:012d}",
        "7": row.created_at.strftime("%m%d%H%M%S"),
        "11": row.stan,
        "37": row.rrn,
        "41": (row.terminal_id or "")[-8:].rjust(8, "0"),
        "42": row.merchant_id[-15:].rjust(15, "0"),
        "49": iso8583.CNY_NUMERIC,
    }
    if card is not None:
        message |= {"2": card.pan, "14": card.expiry, "22": iso8583.ENTRY_MODES.get(card.entry_mode, "000")}
        if card.pin is not None:
            message["52"] = iso8583.pin_block(card.pin, card.pan)
    return message


def _reversal(row: CardAuthorisation) -> Message:
    return _request(row, None) | {"t": iso8583.REVERSAL}


def reversal_of(row: CardAuthorisation) -> Message:
    """The 0400 that undoes the row's request (built from the row alone: it holds no PAN)."""
    return _reversal(row)


def request_of(row: CardAuthorisation, card: CardRequest) -> Message:
    """The 0200 of the row, with the card's data (kept in memory only)."""
    return _request(row, card)


def new_row(bank: BankOut, card: CardRequest) -> CardAuthorisation:
    """The request's row, ``sent``, not stored yet: its RRN a unique placeholder until it has an id."""
    now = clock.now()
    return CardAuthorisation(
        public_id=new_id("iba"),
        bank_code=bank.code,
        stan="000000",
        rrn=new_id("r")[-12:],  # replaced by the row id below; unique meanwhile
        amount=card.amount,
        currency="CNY",
        card_first6=card.pan[:6],
        card_last4=card.pan[-4:],
        merchant_id=card.merchant_id,
        terminal_id=card.terminal_id,
        status="sent",
        business_date=clock.business_day(now),
        created_at=now,
    )


def number(row: CardAuthorisation) -> None:
    """The row id is unique forever: the RRN is it, the STAN its last six digits."""
    row.rrn, row.stan = f"{row.id:012d}", f"{row.id % 1_000_000:06d}"


def open_row(session: Session, bank: BankOut, card: CardRequest) -> CardAuthorisation:
    """The request's row, ``sent``, numbered: its id gives the RRN and the STAN."""
    row = new_row(bank, card)
    session.add(row)
    session.flush()
    number(row)
    session.flush()
    return row


def authorise(
    session: Session, settings: Settings, actor: Actor, bank: BankOut, card: CardRequest
) -> CardAnswer:
    """Ask the issuer; book an approval; reverse a request left unanswered. Always answers a code.

    All in the caller's transaction, so whatever it has locked stays locked while the issuer answers:
    for callers with one session of their own (seeding). The payment routes authorise first with
    no transaction open and book after (``card_first``)."""
    row = open_row(session, bank, card)
    timeout = bank.timeout_ms / 1000
    try:
        answer, row.endpoint = wire.exchange(bank.iso8583_endpoints, _request(row, card), timeout)
    except wire.NoRoute:
        row.status, row.response_code = "declined", ISSUER_UNAVAILABLE
    except wire.NoAnswer as silence:
        row.endpoint = silence.endpoint
        acknowledged = wire.reverse(bank.iso8583_endpoints, _reversal(row), timeout)
        row.status = "reversed" if acknowledged else "reversal_pending"
        row.response_code = ISSUER_UNAVAILABLE
    else:
        row.response_code = answer.get("39", "05")
        row.auth_code = answer.get("38")
        row.status = "approved" if row.response_code == APPROVED else "declined"
        if row.status == "approved":
            entry = ledger.post_pair(
                session,
                actor,
                debit=bank.clearing_account_id,
                credit=card.credit_ledger_account_id,
                amount=card.amount,
                currency="CNY",
                kind="card_payment_off_us",
                memo=f"card payment, issuer {bank.code}",
                details={"authorisation": row.public_id, "rrn": row.rrn, "bank": bank.code},
            )
            row.entry_id = entry.id
    session.flush()
    return CardAnswer(row.response_code, row.public_id, row.rrn, row.auth_code, row.entry_id, _reversal(row))


def cancel(bank: BankOut, answer: CardAnswer) -> bool:
    """Reverse an approval that our side could not complete: its unit of work is failing, so this
    needs nothing from the database."""
    return wire.reverse(bank.iso8583_endpoints, answer.reversal, bank.timeout_ms / 1000)


# A request is booked within its bank's timeout of being sent, or given up by the request itself.
# A row still ``sent`` this much later belongs to a request that died between the issuer's answer
# and its booking (a crash, a failed commit): nobody will book it, so it is reversed.
UNBOOKED_AFTER = timedelta(minutes=2)


def _give_up_unbooked(session: Session) -> int:
    """Turn the stale ``sent`` rows into ``reversal_pending`` (91); how many. The rows are locked, so
    a request booking one right now either finishes first (the row is no longer ``sent`` and is
    skipped) or finds it given up and books nothing (``card_first.book_answer``)."""
    now = clock.now()
    timeouts = {bank.code: timedelta(milliseconds=bank.timeout_ms) for bank in list_banks(session)}
    stale = session.execute(
        select(CardAuthorisation)
        .where(CardAuthorisation.status == "sent", CardAuthorisation.created_at < now - UNBOOKED_AFTER)
        .order_by(CardAuthorisation.id)
        .with_for_update()
    ).scalars()
    given_up = 0
    for row in stale:
        if row.created_at + timeouts.get(row.bank_code, timedelta()) + UNBOOKED_AFTER <= now:
            row.status, row.response_code = "reversal_pending", ISSUER_UNAVAILABLE
            given_up += 1
    session.flush()
    return given_up


def retry_pending_reversals(engine: Engine) -> tuple[int, int]:
    """Send the reversals no issuer acknowledged yet again (a sweep): (acknowledged now, still
    pending). The wire is not held inside a transaction: the rows are read, the reversals sent, and
    each acknowledgement recorded in its own short unit of work. Rows left ``sent`` long past their
    bank's timeout are given up first (``_give_up_unbooked``), so their reversals go out too."""
    with unit_of_work(engine) as session:
        _give_up_unbooked(session)
        pending = (
            session.execute(
                select(CardAuthorisation)
                .where(CardAuthorisation.status == "reversal_pending")
                .order_by(CardAuthorisation.id)
            )
            .scalars()
            .all()
        )
        banks = {bank.code: bank for bank in list_banks(session)}
        reversals = [(row.id, row.bank_code, _reversal(row)) for row in pending]
    done = 0
    for row_id, bank_code, reversal in reversals:
        bank = banks.get(bank_code)
        if bank is None or not wire.reverse(bank.iso8583_endpoints, reversal, bank.timeout_ms / 1000):
            continue
        with unit_of_work(engine) as session:
            row = session.get(CardAuthorisation, row_id)
            if row is not None and row.status == "reversal_pending":
                row.status = "reversed"
                done += 1
    return done, len(reversals) - done
