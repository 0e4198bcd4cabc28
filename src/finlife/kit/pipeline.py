"""The round trips of a unit of work: queued writes, pipelined reads, and a commit that carries them.

Writes whose result nothing reads back in the same unit of work — append-only rows (audit and
outbox events, interactions, postings, request records) and driver-level statements such as a
ledger posting — are queued on the session and written together just before its next statement or
with its commit. On PostgreSQL they go through psycopg's pipeline mode, so the queued writes plus
the reads that follow them (``fetch_together``), or plus the COMMIT (``commit``), cost one round
trip. On SQLite they run one by one, in the same order.

Why driver level: on the posting path SQLAlchemy's per-statement work (compiling, caching, result
objects, events) costs more CPU than PostgreSQL spends on the statement. It is also the shape a
group commit needs: the writes of a unit of work are already one batch.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_QUEUE = "finlife.deferred_writes"
_AT_COMMIT = "finlife.commit_writes"
_BATCH = "finlife.batch_memory"
_DRIVER = "finlife.driver_connection"
# Statements sent here bypass SQLAlchemy's echo and events: DEBUG on this logger shows each one, and
# "round trip" for each pipeline sync.
log = logging.getLogger(__name__)
Params = Mapping[str, Any]
Rows = list[tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class DriverSQL:
    """A PostgreSQL statement in the driver's own syntax (``%(name)s`` placeholders)."""

    sql: str
    params: Params
    what: str  # names the statement in an error raised from a pipeline
    # A savepoint a group commit opened for one request: what is queued before it belongs to the
    # requests before, what is queued after it to this one (``write_through_savepoint``).
    savepoint: bool = False
    # Reads and writes no row queued with ``defer_insert``: the rows queued before it may be sent
    # after it, together with those queued after it (``_send``).
    independent_of_rows: bool = False


def array_literal(values: Iterable[str | int]) -> str:
    """A PostgreSQL array literal (``{"a","b"}``, ``{1,2}``), sent as one text parameter and cast in
    the statement (``%(ids)s::text[]``). psycopg adapts a Python list in pure Python (~12 µs per
    array, and the posting path sends several); a string is adapted in C. All ints or all strs."""
    items = list(values)
    if all(type(value) is int for value in items):
        return _ints_literal(items)
    texts = [value for value in items if type(value) is str]
    if len(texts) != len(items):
        raise TypeError("array_literal takes a list of ints or a list of strs")
    return _texts_literal(texts)


def _ints_literal(numbers: Sequence[Any]) -> str:
    return "{" + ",".join(map(str, numbers)) + "}"


def _texts_literal(texts: Sequence[str]) -> str:
    """Texts joined at once (one C call) when none needs escaping: only the separators' quotes and
    no backslash in the joined text; otherwise quoted one by one."""
    joined = '","'.join(texts)
    if "\\" not in joined and joined.count('"') == 2 * (len(texts) - 1):
        return '{"' + joined + '"}'
    return "{" + ",".join(_quoted(text) for text in texts) + "}"


def _quoted(text: str) -> str:
    """One array element, quoted so that commas, braces, quotes and spaces inside stay part of it."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def defer_insert(session: Session, table: Table, values: dict[str, Any]) -> None:
    """Queue one INSERT; it is written before this session's next statement or its commit."""
    session.info.setdefault(_QUEUE, []).append((table, values))


def defer_sql(session: Session, statement: DriverSQL) -> None:
    """Queue a driver-level statement (PostgreSQL only) with the rows; nobody reads its result."""
    session.info.setdefault(_QUEUE, []).append(statement)


def defer_to_commit(session: Session, statement: DriverSQL) -> None:
    """Queue a driver-level statement (PostgreSQL only) that goes out with the COMMIT itself, not
    before the unit of work's next statement: for a write that locks a row many transactions share (a
    counter's ``+ 1``) and that no rule of the unit of work reads, so the row is held for the last
    round trip only. Whoever reads the row in the same unit of work writes it first
    (``write_deferred(session, at_commit_too=True)``); a savepoint and a flush before commit do too.

    Inside a group commit's batch it is queued like ``defer_sql``: the batch's savepoints own what is
    queued after them, and the batch commits once anyway."""
    if batch_memory(session) is not None:
        defer_sql(session, statement)
        return
    session.info.setdefault(_AT_COMMIT, []).append(statement)


def drop_deferred(session: Session) -> None:
    session.info.pop(_QUEUE, None)
    session.info.pop(_AT_COMMIT, None)


def batch_memory(session: Session) -> dict[str, Any] | None:
    """What a group commit (``kit.group_commit``) remembers across the requests of its batch, or
    None outside one: a dict of dicts, one per module (rows locked for the whole batch, so that the
    next request need not read them again). Entries are replaced, never changed in place: a request
    that fails is undone by putting back the dicts as they were when it began."""
    memory: dict[str, Any] | None = session.info.get(_BATCH)
    return memory


def start_batch_memory(session: Session, remembered: dict[str, Any] | None = None) -> dict[str, Any]:
    """Begin (or put back) a batch's memory; returns a copy of it as it is now, to put back later."""
    session.info[_BATCH] = dict(remembered or {})
    return {name: dict(entries) for name, entries in session.info[_BATCH].items()}


def has_work(session: Session) -> bool:
    """Whether the session has anything to commit: an open transaction, or rows only queued so far."""
    return session.in_transaction() or bool(session.info.get(_QUEUE)) or bool(session.info.get(_AT_COMMIT))


def queued(session: Session) -> list[Any]:
    """The queue itself (group commit inspects and trims it when a request of a batch fails)."""
    queue: list[Any] = session.info.setdefault(_QUEUE, [])
    return queue


def write_through_savepoint(session: Session) -> None:
    """Write the queue up to its last savepoint marker, keeping what was queued after it.

    Before an ORM flush inside a group commit: the flush must run inside the current request's
    savepoint, while that request's own queued rows may refer to the rows the flush writes.
    """
    batch = session.info.get(_QUEUE)
    if not batch:
        return
    last = max(
        (i for i, item in enumerate(batch) if isinstance(item, DriverSQL) and item.savepoint), default=-1
    )
    if last < 0:
        return
    session.info[_QUEUE] = batch[: last + 1]
    write_deferred(session)
    session.info[_QUEUE] = batch[last + 1 :]


def write_deferred(session: Session, *, at_commit_too: bool = False) -> None:
    """Write the queued rows now (in one round trip on PostgreSQL); ``at_commit_too``: and the
    statements queued for the COMMIT (``defer_to_commit``), after them."""
    batch = session.info.pop(_QUEUE, None)
    if at_commit_too:
        batch = (batch or []) + session.info.pop(_AT_COMMIT, [])
    if not batch:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for item in batch:
            if isinstance(item, DriverSQL):
                raise TypeError("driver-level SQL was queued on a database other than PostgreSQL")
            table, values = item
            connection.execute(table.insert().values(**values))
        return
    raw = _driver(session)
    with _as_dbapi_errors(connection.dialect, batch), raw.pipeline(), raw.cursor() as cursor:
        _send(cursor, batch, connection.dialect)
        _note("round trip")


def fetch_together(session: Session, *queries: tuple[str, Params], commit: bool = False) -> list[Rows]:
    """PostgreSQL: run the queued writes, then these queries, in one round trip; each query's rows.

    The queries run in the given order, each seeing what the ones before it did (row locks too).
    ``commit``: the COMMIT goes in the same round trip, after them, and the session's transaction
    ends (for reads whose answer changes nothing the transaction writes).
    """
    batch = session.info.pop(_QUEUE, None) or []
    raw = _driver(session)
    cursors = []
    with _as_dbapi_errors(session.get_bind().dialect, batch), raw.pipeline():
        if batch:
            with raw.cursor() as cursor:
                _send(cursor, batch, session.get_bind().dialect)
        for sql, params in queries:
            _note(sql)
            cursor = raw.cursor()
            cursor.execute(sql, params)
            cursors.append(cursor)
        if commit:
            with raw.cursor() as cursor:
                # Statements queued for the COMMIT (``defer_to_commit``) go just before it.
                _send(cursor, session.info.pop(_AT_COMMIT, []), session.get_bind().dialect)
                _note("COMMIT")
                cursor.execute("COMMIT")
        _note("round trip")
    rows = [cursor.fetchall() for cursor in cursors]
    for cursor in cursors:
        cursor.close()
    if commit:
        session.commit()  # the connection is idle already: SQLAlchemy's commit sends nothing
    return rows


@dataclass(frozen=True, slots=True)
class Prefetch:
    """Reads one module makes before a group commit's batch runs, and what it keeps of their rows.

    The reads of several modules go out together (``prefetch_together``): each round trip a batch
    saves is a wait on its one posting thread, which every request of the batch shares.
    """

    queries: tuple[tuple[str, Params], ...]
    keep: Callable[[list[Rows]], None]  # gets the rows of each of ``queries``, in order


def prefetch_together(session: Session, prefetches: Sequence[Prefetch]) -> None:
    """PostgreSQL: run every prefetch's queries in one round trip, in the given order (each sees the
    locks of those before it), then hand each prefetch its own rows."""
    rows = fetch_together(session, *(query for prefetch in prefetches for query in prefetch.queries))
    start = 0
    for prefetch in prefetches:
        prefetch.keep(rows[start : start + len(prefetch.queries)])
        start += len(prefetch.queries)


def commit(session: Session) -> None:
    """Commit the unit of work; on PostgreSQL the queued writes and the COMMIT share a round trip."""
    session.flush()  # rows the queued ones may refer to go first
    batch = session.info.get(_QUEUE, []) + session.info.get(_AT_COMMIT, [])
    if batch and not session.in_nested_transaction() and is_postgresql(session):
        session.info.pop(_QUEUE, None)
        session.info.pop(_AT_COMMIT, None)
        raw = _driver(session)
        with _as_dbapi_errors(session.get_bind().dialect, batch), raw.pipeline(), raw.cursor() as cursor:
            _send(cursor, batch, session.get_bind().dialect)
            # COMMIT as a pipelined statement, not ``raw.commit()`` (which adds a round trip to sync).
            # The server's answer leaves the connection idle, so SQLAlchemy's commit below sends nothing.
            _note("COMMIT")
            cursor.execute("COMMIT")
            _note("round trip")
    session.commit()


def _note(sql: str) -> None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s", sql)


def _driver(session: Session) -> Any:
    """The psycopg connection of the session's transaction (remembered for that transaction only:
    a transaction keeps its connection to the end, the next one may get another from the pool)."""
    transaction = session.get_transaction()
    remembered = session.info.get(_DRIVER)
    if transaction is not None and remembered is not None and remembered[0] is transaction:
        return remembered[1]
    raw = session.connection().connection.driver_connection
    assert raw is not None
    session.info[_DRIVER] = (session.get_transaction(), raw)
    return raw


# Consecutive queued rows go out as one statement: each row a data-modifying CTE of its own, the
# last one the main INSERT. One statement instead of one per row saves PostgreSQL a parse, bind and
# execute per row and the driver a send each. Nothing in the batch reads another row of it (they are
# append-only), so the order in which PostgreSQL runs the parts does not matter; foreign keys are
# checked at the end of the statement. The text is built once per shape (tables and columns).
_ROWS_PER_STATEMENT = 16
_ROWS_SQL: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, tuple[bool, ...]]] = {}


def _send(cursor: Any, batch: Sequence[Any], dialect: Dialect) -> None:
    # In queue order, except that rows wait for the statements that do not depend on them
    # (``DriverSQL.independent_of_rows``: a ledger posting) and go out after them, together with the
    # rows queued up to the next statement that does (a savepoint). So the rows of a group commit's
    # transfers go out together, in one statement per table (``_send_rows``).
    rows: list[tuple[Table, dict[str, Any]]] = []
    for item in batch:
        if isinstance(item, DriverSQL):
            if not item.independent_of_rows:
                _send_rows(cursor, rows, dialect)
                rows = []
            _note(item.sql)
            cursor.execute(item.sql, item.params)
            continue
        rows.append(item)
    _send_rows(cursor, rows, dialect)


def _send_rows(cursor: Any, rows: list[tuple[Table, dict[str, Any]]], dialect: Dialect) -> None:
    """One unit of work's few rows: statements of up to 16 rows each (``_send_row_statement``). Rows
    of many units of work (a group commit's): one statement, with all the rows of each table in one
    INSERT from arrays (``_send_row_arrays``), whose text does not change with the number of rows."""
    if not rows:
        return
    shapes: dict[tuple[str, tuple[str, ...]], list[tuple[Table, dict[str, Any]]]] = {}
    for row in rows:
        shapes.setdefault((row[0].name, tuple(row[1])), []).append(row)
    if len(shapes) < len(rows) and len(rows) > _ROWS_PER_STATEMENT:
        _send_row_arrays(cursor, list(shapes.values()), dialect)
        return
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        _send_row_statement(cursor, rows[start : start + _ROWS_PER_STATEMENT], dialect)


def _send_row_statement(cursor: Any, rows: list[tuple[Table, dict[str, Any]]], dialect: Dialect) -> None:
    from psycopg.types.json import Jsonb

    shape = tuple((table.name, tuple(values)) for table, values in rows)
    known = _ROWS_SQL.get(shape)
    if known is None:
        if len(_ROWS_SQL) > 1000:  # shapes are few; this only bounds an unusual workload
            _ROWS_SQL.clear()
        known = _ROWS_SQL[shape] = _rows_sql(rows, dialect)
    sql, is_json = known
    params = [value for _, values in rows for value in values.values()]
    if any(is_json):
        params = [Jsonb(v) if json and v is not None else v for v, json in zip(params, is_json, strict=True)]
    _note(sql)
    cursor.execute(sql, params)


def _rows_sql(rows: list[tuple[Table, dict[str, Any]]], dialect: Dialect) -> tuple[str, tuple[bool, ...]]:
    quote = dialect.identifier_preparer.quote
    inserts, is_json = [], []
    for table, values in rows:
        columns = ", ".join(quote(name) for name in values)
        placeholders = ", ".join("%s" for _ in values)
        inserts.append(f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders})")  # noqa: S608
        is_json += [isinstance(table.c[name].type, JSON) for name in values]
    *first, last = inserts
    with_parts = ", ".join(f"row{i} AS ({insert})" for i, insert in enumerate(first))
    return (f"WITH {with_parts} {last}" if first else last), tuple(is_json)


# Rows of one table and the same columns, as one array per column: ``INSERT … SELECT * FROM
# unnest(%s::bigint[], %s::varchar(32)[], …)``. The arrays go as literals (``array_literal``: psycopg
# adapts lists in pure Python); the statement's text depends only on the tables and columns, so
# PostgreSQL prepares it once. Each table's INSERT is a data-modifying CTE of one statement.
_ARRAYS_SQL: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[str, tuple[tuple[bool, ...], ...]]] = {}


def _send_row_arrays(cursor: Any, groups: list[list[tuple[Table, dict[str, Any]]]], dialect: Dialect) -> None:
    shape = tuple((group[0][0].name, tuple(group[0][1])) for group in groups)
    known = _ARRAYS_SQL.get(shape)
    if known is None:
        if len(_ARRAYS_SQL) > 1000:  # shapes are few; this only bounds an unusual workload
            _ARRAYS_SQL.clear()
        known = _ARRAYS_SQL[shape] = _arrays_sql([group[0] for group in groups], dialect)
    sql, json_columns = known
    params = []
    for group, is_json in zip(groups, json_columns, strict=True):
        columns = list(group[0][1])
        for name, json_column in zip(columns, is_json, strict=True):
            params.append(_element_literal([values[name] for _, values in group], json_column))
    _note(sql)
    cursor.execute(sql, params)


def _arrays_sql(
    first_rows: list[tuple[Table, dict[str, Any]]], dialect: Dialect
) -> tuple[str, tuple[tuple[bool, ...], ...]]:
    quote = dialect.identifier_preparer.quote
    inserts, json_columns = [], []
    for table, values in first_rows:
        columns = ", ".join(quote(name) for name in values)
        arrays = ", ".join(f"%s::{table.c[name].type.compile(dialect=dialect)}[]" for name in values)
        inserts.append(f"INSERT INTO {quote(table.name)} ({columns}) SELECT * FROM unnest({arrays})")  # noqa: S608
        json_columns.append(tuple(isinstance(table.c[name].type, JSON) for name in values))
    *first, last = inserts
    with_parts = ", ".join(f"rows{i} AS ({insert})" for i, insert in enumerate(first))
    return (f"WITH {with_parts} {last}" if first else last), tuple(json_columns)


def _element_literal(values: list[Any], json_column: bool) -> str:
    """A PostgreSQL array literal of one column's values (any types psycopg would take for it).

    A batch's columns are mostly all text, all ints or all times: those are joined at once (one C
    call), not value by value; NULLs, JSON and the rest go value by value.
    """
    if not json_column:
        kinds = set(map(type, values))
        if kinds == {int}:
            return _ints_literal(values)
        if kinds == {datetime}:
            return _texts_literal([value.isoformat() for value in values])
        if kinds == {str}:
            return _texts_literal(values)
    return "{" + ",".join(_element(value, json_column) for value in values) + "}"


def _element(value: Any, json_column: bool) -> str:
    if value is None:
        return "NULL"
    if json_column:
        value = json.dumps(value, separators=(",", ":"))
    elif isinstance(value, bool):
        return "t" if value else "f"
    elif isinstance(value, int):
        return str(int(value))  # an IntEnum too
    elif isinstance(value, (datetime, date)):
        value = value.isoformat()
    elif not isinstance(value, str):  # a StrEnum is a str
        raise TypeError(f"a queued row's {type(value).__name__} cannot go in an array literal")
    return _quoted(value)


@contextmanager
def _as_dbapi_errors(dialect: Dialect, batch: Sequence[Any]) -> Iterator[None]:
    import psycopg

    try:
        yield
    except psycopg.Error as error:
        # The same exception types as a statement sent through SQLAlchemy (IntegrityError, …).
        # In a pipeline the failing statement is not known; name what the batch wrote to.
        names = sorted({item.what if isinstance(item, DriverSQL) else item[0].name for item in batch})
        statement = "pipelined statements: " + ", ".join(names or ["queries"])
        raise DBAPIError.instance(statement, None, error, psycopg.Error, dialect=dialect) from error
