"""Engine, session and the few places where SQLite and PostgreSQL differ.

One unit of work per request: services ``flush()``, the caller commits or rolls back as a whole.
SQLite (the embedded default) serialises writers with ``BEGIN IMMEDIATE``; PostgreSQL locks rows
with ``SELECT … FOR UPDATE`` in id order (``lock_rows``), so two postings cannot deadlock or race.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Select,
    Table,
    TypeDecorator,
    create_engine,
    event,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, SessionTransaction, sessionmaker

# Queued writes (see finlife.kit.pipeline) are re-exported here, where every module finds them.
from finlife.kit.pipeline import commit as commit
from finlife.kit.pipeline import defer_insert as defer_insert
from finlife.kit.pipeline import drop_deferred, fetch_together, is_postgresql, write_through_savepoint
from finlife.kit.pipeline import write_deferred as write_deferred

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both databases (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A mapped class's Table, typed as one (``__table__`` is typed as a plain FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def normalise_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str, *, echo: bool = False, pool_size: int = 20) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _serialise_sqlite_writers(engine)
        return engine
    engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size)
    _ping_when_idle(engine, seconds=IDLE_PING_SECONDS)
    return engine


# A pooled connection handed back less than this long ago is taken as alive; an older one is pinged
# before use (a dropped one is replaced). ``pool_pre_ping`` would ping every checkout: one more
# round trip on every request, for connections that were in use a moment ago.
IDLE_PING_SECONDS = 5.0


def _ping_when_idle(engine: Engine, *, seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_conn: Any, record: Any) -> None:
        record.info["finlife.returned_at"] = monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("finlife.returned_at")
        if returned is None or monotonic() - returned < seconds:
            return  # a new connection, or one in use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except Exception as error:  # any failure means: replace this connection
            raise DisconnectionError(str(error)) from error
        if not alive:
            raise DisconnectionError("the pooled connection did not answer")


def _serialise_sqlite_writers(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up front;
    # we switch it off and emit BEGIN IMMEDIATE, so a read-then-write can never be interleaved.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The engine and session factory of one running finlife."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, echo=echo)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        session = self.sessions()
        try:
            yield session
            commit(session)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


# The queue of writes (kit.pipeline) follows the session: read-your-writes before any statement,
# written before a savepoint is released or the transaction commits, dropped with a rollback.
@event.listens_for(Session, "do_orm_execute")
def _write_deferred_before_statement(state: ORMExecuteState) -> None:
    # Read-your-writes: a query in the same unit of work sees the queued rows.
    write_deferred(state.session)


@event.listens_for(Session, "before_flush")
def _open_pending_savepoint(session: Session, _context: Any, _instances: Any) -> None:
    # Inside a group commit, a request's savepoint may still be queued: open it before the flush
    # writes that request's ORM rows (kit.group_commit).
    write_through_savepoint(session)


@event.listens_for(Session, "before_commit")
def _write_deferred_before_commit(session: Session) -> None:
    session.flush()  # rows the queued ones may refer to go first
    write_deferred(session, at_commit_too=True)


@event.listens_for(Session, "after_soft_rollback")
def _drop_deferred(session: Session, previous_transaction: SessionTransaction) -> None:
    # Whatever is still queued was queued inside the transaction or savepoint now rolled back
    # (``savepoint`` writes the queue before it begins).
    drop_deferred(session)


@contextmanager
def savepoint(session: Session) -> Iterator[SessionTransaction]:
    """``session.begin_nested()`` that keeps queued rows with the transaction they were queued in.

    Use it instead of ``begin_nested``: rows queued before the savepoint are written first, so that
    rolling back to it cannot take them along, and rows queued inside are dropped with it.
    """
    write_deferred(session, at_commit_too=True)
    with session.begin_nested() as nested:
        yield nested


def for_update(stmt: Select[Any]) -> Select[Any]:
    """Row lock on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock."""
    return stmt.with_for_update()


def dialect_insert_for(session: Session) -> Any:
    """The dialect's ``insert`` (with ``on_conflict_do_…``) for the session's database."""
    return _dialect_insert(session)


def _dialect_insert(session: Session) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def insert_if_absent(
    session: Session, table: Table, values: dict[str, Any], *, conflict_columns: list[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING: a concurrent get-or-create creates the row once."""
    stmt = _dialect_insert(session)(table).values(**values)
    session.execute(stmt.on_conflict_do_nothing(index_elements=conflict_columns))


def insert_all_if_absent(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, conflict_columns: list[str]
) -> set[Any]:
    """One multi-row INSERT … ON CONFLICT DO NOTHING; answers the ``conflict_columns[-1]`` values of
    the rows this statement inserted (the others were there already). Keep ``rows`` to a few hundred.

    The rows go as parameters of one cached statement, which SQLAlchemy sends as multi-row ``VALUES``
    batches ("insertmanyvalues"), rather than as a ``.values([...])`` statement compiled anew for every
    call: at a few hundred rows that compilation was most of the event consumers' CPU (4x the time
    on PostgreSQL, 10x on SQLite, measured with 100-row batches)."""
    if not rows:
        return set()
    stmt = _dialect_insert(session)(table).on_conflict_do_nothing(index_elements=conflict_columns)
    return set(session.execute(stmt.returning(table.c[conflict_columns[-1]]), list(rows)).scalars())


def inserted_once(
    session: Session, table: Table, values: dict[str, Any], *, conflict_columns: list[str]
) -> bool:
    """``insert_if_absent`` that tells: True when this call inserted the row, False when it was there.

    Asks for the row back (RETURNING) rather than trusting ``rowcount``, which PostgreSQL's driver
    does not report here.
    """
    stmt = _dialect_insert(session)(table).values(**values)
    stmt = stmt.on_conflict_do_nothing(index_elements=conflict_columns).returning(
        table.c[conflict_columns[0]]
    )
    return session.execute(stmt).first() is not None


def increment_counter(
    session: Session, table: Table, *, keys: dict[str, Any], column: str, amount: int
) -> int:
    """Add ``amount`` to a counter row (created at zero if missing) and return the new value.

    One atomic upsert on both databases (INSERT … ON CONFLICT DO UPDATE … RETURNING): concurrent
    increments queue on the row lock, none is lost. Used for limits, stock and budgets.
    """
    insert = _dialect_insert(session)(table).values(**keys, **{column: amount})
    upsert = insert.on_conflict_do_update(
        index_elements=list(keys), set_={column: table.c[column] + amount}
    ).returning(table.c[column])
    value: int = session.execute(upsert).scalar_one()
    return value


def increment_counters(
    session: Session, table: Table, *, column: str, increments: Sequence[tuple[dict[str, Any], int]]
) -> list[int]:
    """``increment_counter`` for several rows, in the given order: the new value of each.

    On PostgreSQL the upserts travel in one round trip (``kit.pipeline``); they still run one after
    another, so rows are locked in the order given.
    """
    if not is_postgresql(session):
        return [
            increment_counter(session, table, keys=keys, column=column, amount=amount)
            for keys, amount in increments
        ]
    quote = session.get_bind().dialect.identifier_preparer.quote
    queries = []
    for keys, amount in increments:
        names = [*keys, column]
        sql = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)})"  # noqa: S608
            f" VALUES ({', '.join(f'%({n})s' for n in names)})"
            f" ON CONFLICT ({', '.join(quote(n) for n in keys)})"
            f" DO UPDATE SET {quote(column)} = {quote(table.name)}.{quote(column)} + EXCLUDED.{quote(column)}"
            f" RETURNING {quote(column)}"
        )
        queries.append((sql, {**keys, column: amount}))
    return [int(rows[0][0]) for rows in fetch_together(session, *queries)]


def lock_rows(session: Session, table: Table, ids: Sequence[int]) -> None:
    """Lock rows in ascending id order so that concurrent writers queue instead of deadlocking."""
    if not ids:
        return
    stmt = select(table.c.id).where(table.c.id.in_(sorted(set(ids)))).order_by(table.c.id)
    session.execute(for_update(stmt)).all()
