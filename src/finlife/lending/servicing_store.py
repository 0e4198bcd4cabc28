"""Reading and writing a chunk of loans for run-day in bulk: a few statements per chunk, not per loan.

Reads: the chunk's loans (locked, so that a prepayment or a second run waits), their unpaid
instalments that can fall due by the day, and each loan's last instalment number. Writes: every
serviced loan's changed columns and every changed instalment in one statement each; on PostgreSQL
an UPDATE from arrays queued to go out with the commit (``kit.pipeline``), elsewhere an executemany.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from finlife.kit.db import table_of
from finlife.kit.pipeline import DriverSQL, array_literal, defer_sql, is_postgresql
from finlife.lending.models import Instalment, Loan
from finlife.lending.servicing_day import SERVICED, Due, LoanState

_loans = table_of(Loan)
_instalments = table_of(Instalment)
_STATE_COLUMNS = [
    _loans.c.id,
    _loans.c.public_id,
    _loans.c.customer_id,
    _loans.c.partner_id,
    _loans.c.developer_partner_id,
    _loans.c.journey_id,
    _loans.c.status,
    _loans.c.currency,
    _loans.c.amount,
    _loans.c.method,
    _loans.c.rate_bp,
    _loans.c.spread_bp,
    _loans.c.penalty_markup_pct,
    _loans.c.repayment_account_id,
    _loans.c.ledger_account_id,
    _loans.c.product_pk,
    _loans.c.value_date,
    _loans.c.current_n,
    _loans.c.accrued,
    _loans.c.penalty_due,
    _loans.c.oldest_unpaid_due,
    _loans.c.days_past_due,
    _loans.c.classification,
    _loans.c.serviced_through,
]
_DUE_COLUMNS = [
    _instalments.c.id,
    _instalments.c.loan_pk,
    _instalments.c.n,
    _instalments.c.period_start,
    _instalments.c.due_date,
    _instalments.c.principal,
    _instalments.c.interest,
    _instalments.c.paid_principal,
    _instalments.c.paid_interest,
    _instalments.c.status,
]


def lock_chunk(session: Session, after: int, size: int) -> list[LoanState]:
    """The next ``size`` loans on the books after id ``after``, locked, in id order."""
    rows = session.execute(
        select(*_STATE_COLUMNS)
        .where(_loans.c.status.in_(SERVICED), _loans.c.id > after)
        .order_by(_loans.c.id)
        .limit(size)
        .with_for_update()
    ).all()
    return [LoanState(*row) for row in rows]


def read_dues(
    session: Session, loans: Sequence[LoanState], day: date
) -> tuple[dict[int, list[Due]], dict[int, int]]:
    """Each loan's unpaid instalments that can fall due or be collected by ``day`` (overdue, current,
    and the next ones a loan behind by some days will reach), and its last instalment's number."""
    dues: dict[int, list[Due]] = {loan.pk: [] for loan in loans}
    if not loans:
        return dues, {}
    # A period is at least 28 days, so a loan behind by ``behind`` days sees at most this many
    # instalments fall due, and then needs the one after them as its current one.
    behind = max((day - (loan.serviced_through or day)).days for loan in loans)
    reach = max(1, -(-behind // 28))
    first, last = loans[0].pk, loans[-1].pk
    for row in session.execute(
        select(*_DUE_COLUMNS)
        .join(_loans, _loans.c.id == _instalments.c.loan_pk)
        .where(
            _instalments.c.loan_pk.between(first, last),
            _instalments.c.status != "paid",
            _instalments.c.n <= _loans.c.current_n + reach,
        )
        .order_by(_instalments.c.loan_pk, _instalments.c.n)
    ).all():
        rows = dues.get(row.loan_pk)
        if rows is not None:
            rows.append(Due(*row))
    counts = session.execute(
        select(_instalments.c.loan_pk, func.max(_instalments.c.n))
        .where(_instalments.c.loan_pk.between(first, last))
        .group_by(_instalments.c.loan_pk)
    ).all()
    return dues, {int(pk): int(n) for pk, n in counts}


_LOANS_SQL = """
UPDATE loans AS l SET status = u.status, current_n = u.current_n, accrued = u.accrued,
    penalty_due = u.penalty_due, oldest_unpaid_due = NULLIF(u.oldest_unpaid_due, '')::date,
    days_past_due = u.days_past_due, classification = u.classification,
    serviced_through = u.serviced_through::date, rate_bp = u.rate_bp
FROM unnest(%(ids)s::bigint[], %(statuses)s::text[], %(current_ns)s::int[], %(accrued)s::bigint[],
            %(penalties)s::bigint[], %(oldest)s::text[], %(dpds)s::int[], %(classes)s::text[],
            %(through)s::text[], %(rates)s::int[])
    AS u (id, status, current_n, accrued, penalty_due, oldest_unpaid_due, days_past_due,
          classification, serviced_through, rate_bp)
WHERE l.id = u.id
"""
_DUES_SQL = """
UPDATE loan_instalments AS i SET status = u.status, paid_principal = u.paid_principal,
    paid_interest = u.paid_interest
FROM unnest(%(ids)s::bigint[], %(statuses)s::text[], %(principals)s::bigint[], %(interests)s::bigint[])
    AS u (id, status, paid_principal, paid_interest)
WHERE i.id = u.id
"""


def write_chunk(session: Session, loans: Sequence[LoanState], dues: Sequence[Due]) -> None:
    if loans and is_postgresql(session):
        params: dict[str, Any] = {
            "ids": array_literal(x.pk for x in loans),
            "statuses": array_literal(x.status for x in loans),
            "current_ns": array_literal(x.current_n for x in loans),
            "accrued": array_literal(x.accrued for x in loans),
            "penalties": array_literal(x.penalty_due for x in loans),
            "oldest": array_literal(
                x.oldest_unpaid_due.isoformat() if x.oldest_unpaid_due else "" for x in loans
            ),
            "dpds": array_literal(x.days_past_due for x in loans),
            "classes": array_literal(x.classification for x in loans),
            "through": array_literal(
                x.serviced_through.isoformat() if x.serviced_through else "" for x in loans
            ),
            "rates": array_literal(x.rate_bp for x in loans),
        }
        defer_sql(session, DriverSQL(_LOANS_SQL, params, what="loans serviced", independent_of_rows=True))
    elif loans:
        session.execute(
            update(_loans)
            .where(_loans.c.id == bindparam("b_id"))
            .values(
                status=bindparam("b_status"),
                current_n=bindparam("b_current_n"),
                accrued=bindparam("b_accrued"),
                penalty_due=bindparam("b_penalty_due"),
                oldest_unpaid_due=bindparam("b_oldest"),
                days_past_due=bindparam("b_dpd"),
                classification=bindparam("b_class"),
                serviced_through=bindparam("b_through"),
                rate_bp=bindparam("b_rate"),
            ),
            [
                {
                    "b_id": x.pk,
                    "b_status": x.status,
                    "b_current_n": x.current_n,
                    "b_accrued": x.accrued,
                    "b_penalty_due": x.penalty_due,
                    "b_oldest": x.oldest_unpaid_due,
                    "b_dpd": x.days_past_due,
                    "b_class": x.classification,
                    "b_through": x.serviced_through,
                    "b_rate": x.rate_bp,
                }
                for x in loans
            ],
        )
    _write_dues(session, [due for due in dues if due.changed])


def _write_dues(session: Session, dues: Sequence[Due]) -> None:
    if not dues:
        return
    if is_postgresql(session):
        params = {
            "ids": array_literal(x.pk for x in dues),
            "statuses": array_literal(x.status for x in dues),
            "principals": array_literal(x.paid_principal for x in dues),
            "interests": array_literal(x.paid_interest for x in dues),
        }
        defer_sql(
            session, DriverSQL(_DUES_SQL, params, what="instalments serviced", independent_of_rows=True)
        )
        return
    session.execute(
        update(_instalments)
        .where(_instalments.c.id == bindparam("b_id"))
        .values(
            status=bindparam("b_status"),
            paid_principal=bindparam("b_principal"),
            paid_interest=bindparam("b_interest"),
        ),
        [
            {
                "b_id": x.pk,
                "b_status": x.status,
                "b_principal": x.paid_principal,
                "b_interest": x.paid_interest,
            }
            for x in dues
        ],
    )
