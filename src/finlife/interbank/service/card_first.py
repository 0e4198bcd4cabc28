"""Off-us cards, authorised first and booked after: no transaction is open while the issuer answers.

1. ``open_authorisation``: the request's row is written ``sent`` in the caller's short unit of work,
   committed before anything goes on the wire, so whatever happens next leaves a trace.
2. ``ask_issuer``: the 0200 goes out with no transaction open (nothing locked while another bank
   decides); silence is reversed at once, as in ``card.authorise``.
3. ``book_answer``: in the payment's own short transaction the row moves from ``sent`` to the
   answer, and an approval is booked (issuer's clearing account → merchant's pending settlement).
   Only from ``sent``: a row already given up is never booked.
4. ``give_up``: the payment's transaction failed, or never used the answer (a replay): a row still
   ``sent`` takes the answer's outcome and an approval is reversed. A row already booked is left
   alone, so calling it whenever unsure is safe.
A crash between 2 and 3 (or a failed commit) leaves the row ``sent``; ``retry_pending_reversals``
gives such rows up once they are stale and sends their reversals (``card.UNBOOKED_AFTER``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from finlife.interbank.models import CardAuthorisation
from finlife.interbank.schemas import BankOut, CardAnswer, CardRequest
from finlife.interbank.service import wire
from finlife.interbank.service.card import (
    APPROVED,
    ISSUER_UNAVAILABLE,
    new_row,
    number,
    request_of,
    reversal_of,
)
from finlife.interbank.service.transfers import unit_of_work
from finlife.kit.auth import Actor
from finlife.kit.db import table_of
from finlife.kit.iso8583 import Message
from finlife.kit.pipeline import DriverSQL, Params, Rows, defer_sql, is_postgresql
from finlife.ledger import service as ledger

SENT = "sent"


@dataclass(frozen=True, slots=True)
class Pending:
    """A committed ``sent`` row and the two messages it stands for (the 0200 holds the PAN: memory only)."""

    bank: BankOut
    row_id: int
    public_id: str
    rrn: str
    request: Message
    reversal: Message


@dataclass(frozen=True, slots=True)
class IssuerAnswer:
    """What came back: status ``approved``, ``declined``, ``reversed`` or ``reversal_pending``."""

    pending: Pending
    status: str
    response_code: str
    auth_code: str | None
    endpoint: str | None

    @property
    def approved(self) -> bool:
        return self.status == "approved"


def open_authorisation(session: Session, bank: BankOut, card: CardRequest) -> Pending:
    """Step 1: the ``sent`` row, to be committed by the caller before ``ask_issuer``. Written without
    the ORM's flushes: one INSERT returning its id, then its RRN and STAN (on PostgreSQL queued to go
    with the caller's COMMIT; nothing reads them back before)."""
    row = new_row(bank, card)
    values = {column: getattr(row, column) for column in _COLUMNS}
    row.id = session.execute(_INSERT_ROW, values).scalar_one()
    number(row)
    numbers = {"id": row.id, "rrn": row.rrn, "stan": row.stan}
    if is_postgresql(session):
        defer_sql(session, DriverSQL(_NUMBER_SQL, numbers, what="an off-us card request numbered"))
    else:
        session.execute(update(_ROWS).where(_ROWS.c.id == row.id).values(rrn=row.rrn, stan=row.stan))
    return Pending(bank, row.id, row.public_id, row.rrn, request_of(row, card), reversal_of(row))


def ask_issuer(pending: Pending) -> IssuerAnswer:
    """Step 2, with no transaction open: the issuer's answer, or 91 (silence reversed, no route)."""
    endpoints, timeout = pending.bank.iso8583_endpoints, pending.bank.timeout_ms / 1000
    try:
        answer, endpoint = wire.exchange(endpoints, pending.request, timeout)
    except wire.NoRoute:
        return IssuerAnswer(pending, "declined", ISSUER_UNAVAILABLE, None, None)
    except wire.NoAnswer as silence:
        acknowledged = wire.reverse(endpoints, pending.reversal, timeout)
        status = "reversed" if acknowledged else "reversal_pending"
        return IssuerAnswer(pending, status, ISSUER_UNAVAILABLE, None, silence.endpoint)
    code = answer.get("39", "05")
    status = "approved" if code == APPROVED else "declined"
    return IssuerAnswer(pending, status, code, answer.get("38"), endpoint)


def _record(row: CardAuthorisation, answer: IssuerAnswer, status: str) -> None:
    row.status, row.response_code = status, answer.response_code
    row.auth_code, row.endpoint = answer.auth_code, answer.endpoint


def lock_query(answer: IssuerAnswer) -> tuple[str, Params]:
    """PostgreSQL: the query that locks the answer's row, for a caller that sends it together with
    its own reads (``book_answer``'s ``locked``: the rows it returned)."""
    return _LOCK_ROW_SQL, {"id": answer.pending.row_id}


def book_answer(
    session: Session,
    actor: Actor,
    answer: IssuerAnswer,
    credit_ledger_account_id: str,
    *,
    locked: Rows | None = None,
) -> CardAnswer:
    """Step 3, in the payment's transaction: the answer recorded on its row, an approval booked.

    The row is locked first; if it is no longer ``sent`` (the sweep gave it up and reversed it) the
    payment is declined with 91 and nothing is booked. The row is read as two columns and written
    by one UPDATE that nothing in this unit of work reads back (on PostgreSQL queued with its other
    writes): the rest of it is already in ``answer.pending``. ``locked``: the rows of ``lock_query``,
    when the caller has already sent it (the lock taken in the same place of the unit of work)."""
    pending = answer.pending
    if locked is None:
        locked = [tuple(row) for row in session.execute(_LOCK_ROW, {"id": pending.row_id})]
    if not locked or locked[0][0] != SENT:
        return CardAnswer(ISSUER_UNAVAILABLE, pending.public_id, pending.rrn, None, None, pending.reversal)
    amount = locked[0][1]
    entry_id = None
    if answer.approved:
        entry = ledger.post_pair(
            session,
            actor,
            debit=pending.bank.clearing_account_id,
            credit=credit_ledger_account_id,
            amount=amount,
            currency="CNY",
            kind="card_payment_off_us",
            memo=f"card payment, issuer {pending.bank.code}",
            details={"authorisation": pending.public_id, "rrn": pending.rrn, "bank": pending.bank.code},
        )
        entry_id = entry.id
    values = {
        "id": pending.row_id,
        "status": answer.status,
        "response_code": answer.response_code,
        "auth_code": answer.auth_code,
        "endpoint": answer.endpoint,
        "entry_id": entry_id,
    }
    if is_postgresql(session):
        defer_sql(session, DriverSQL(_RECORD_SQL, values, what="an off-us card answer recorded"))
    else:
        row_id = values.pop("id")
        session.execute(update(_ROWS).where(_ROWS.c.id == row_id).values(values))
    return CardAnswer(
        answer.response_code, pending.public_id, pending.rrn, answer.auth_code, entry_id, pending.reversal
    )


_ROWS = table_of(CardAuthorisation)
_LOCK_ROW = select(_ROWS.c.status, _ROWS.c.amount).where(_ROWS.c.id == bindparam("id")).with_for_update()
_LOCK_ROW_SQL = "SELECT status, amount FROM interbank_card_authorisations WHERE id = %(id)s FOR UPDATE"
_COLUMNS = tuple(column.key for column in _ROWS.columns if column.key != "id")
_INSERT_ROW = insert(_ROWS).returning(_ROWS.c.id)
_NUMBER_SQL = "UPDATE interbank_card_authorisations SET rrn = %(rrn)s, stan = %(stan)s WHERE id = %(id)s"
_RECORD_SQL = (
    "UPDATE interbank_card_authorisations SET status = %(status)s, response_code = %(response_code)s,"
    " auth_code = %(auth_code)s, endpoint = %(endpoint)s, entry_id = %(entry_id)s WHERE id = %(id)s"
)


def give_up(engine: Engine, answer: IssuerAnswer) -> str | None:
    """Step 4: settle a row the payment did not book; its status now, None if it was booked (or
    already settled) and nothing was done. An approval is reversed before its row says so."""
    pending = answer.pending
    with unit_of_work(engine) as session:
        row = session.get(CardAuthorisation, pending.row_id, with_for_update=True)
        if row is None or row.status != SENT:
            return None
        # Marked first, so that neither a late booking nor the sweep can take the row meanwhile.
        _record(row, answer, "reversal_pending" if answer.approved else answer.status)
        status = row.status
    if answer.approved:
        bank = pending.bank
        if wire.reverse(bank.iso8583_endpoints, pending.reversal, bank.timeout_ms / 1000):
            with unit_of_work(engine) as session:
                row = session.get(CardAuthorisation, pending.row_id, with_for_update=True)
                if row is not None and row.status == "reversal_pending":
                    row.status = status = "reversed"
    return status
