"""Reads a unit of work sends together: one round trip on PostgreSQL, plain rows on every database.

A page that shows a few facts of several modules (discovery's paid-order counts, ratings and live
campaigns) asked for each in a round trip of its own, through ``Session.execute``: each a wait on
the database and a return for the GIL, and the ORM's per-statement machinery for rows that are
plain tuples anyway (py-spy, bench/discovery.py: a quarter of the request thread's samples). A
``Read`` is one such question, written twice: in the driver's own syntax for PostgreSQL, where
``read_together`` sends every read of a page in one pipeline (``kit.pipeline.fetch_together``),
and as a SQLAlchemy Core statement for the others, run one by one on the session's connection
(Core, not the ORM: the rows are the same, without the ORM's per-statement work). Each module
builds its own reads (their tables are its own); the caller only sends them.

Both forms must give the same rows: a module's tests run both (``tests/kit/test_reads.py`` and the
reads' own tests compare them on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from finlife.kit.pipeline import Rows, fetch_together, is_postgresql, write_deferred

T = TypeVar("T")
Params = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """One question: ``driver_sql`` with ``driver_params`` (PostgreSQL, ``%(name)s``), ``statement``
    with ``params`` (any database, SQLAlchemy Core); ``answer`` makes the caller's value of its rows
    (tuples in the order of the selected columns). A ``statement`` of None asks nothing: the answer
    is made from no rows (an empty list of ids, say)."""

    driver_sql: str
    driver_params: Params
    statement: Executable | None
    params: Params
    answer: Callable[[Rows], T]
    # The driver-level text selects every column of this table in its order: its values are made what
    # SQLAlchemy makes them (``row_processors``) before ``answer`` sees them.
    every_column_of: Table | None = None


def read_together(session: Session, *reads: Read[Any]) -> list[Any]:
    """Each read's answer, in order: on PostgreSQL every read (after the queued writes) in one round
    trip, elsewhere one statement after another on the session's connection."""
    asked = [read for read in reads if read.statement is not None]
    if not asked:
        return [read.answer([]) for read in reads]
    if is_postgresql(session):
        dialect = session.get_bind().dialect
        rows = fetch_together(session, *((read.driver_sql, read.driver_params) for read in asked))
        fetched = iter(
            found if read.every_column_of is None else _processed(found, read.every_column_of, dialect)
            for read, found in zip(asked, rows, strict=True)
        )
    else:
        write_deferred(session)  # read-your-writes, as ``Session.execute`` does
        connection = session.connection()
        fetched = iter(
            [tuple(row) for row in connection.execute(read.statement, dict(read.params))]  # type: ignore[arg-type]
            for read in asked
        )
    return [read.answer(next(fetched) if read.statement is not None else []) for read in reads]


def _processed(rows: Rows, table: Table, dialect: Dialect) -> Rows:
    if not rows:
        return rows
    processors = row_processors(table, dialect)
    if not any(processors):
        return rows
    return [
        tuple(
            value if process is None else process(value)
            for value, process in zip(row, processors, strict=True)
        )
        for row in rows
    ]


def row_processors(table: Table, dialect: Dialect) -> list[Callable[[Any], Any] | None]:
    """What SQLAlchemy does to each value of a row of every column of ``table`` (a
    ``TypeDecorator``'s ``process_result_value``, say), so that driver-level rows equal Core's."""
    return [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in table.columns]
