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
from typing import Any

from sqlalchemy import (
    JSON,
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
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, ORMExecuteState, Session, SessionTransaction, sessionmaker

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
    return create_engine(url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


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
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


# Append-only rows (audit events, outbox events, interactions, request records) that nothing reads
# back in the same unit of work are queued and written together: on PostgreSQL in one pipelined
# round trip just before the next statement or the commit. This is the shape a group commit needs.
_DEFERRED = "finlife.deferred_inserts"


def defer_insert(session: Session, table: Table, values: dict[str, Any]) -> None:
    """Queue one INSERT; it is written before this session's next statement or its commit."""
    session.info.setdefault(_DEFERRED, []).append((table, values))


def write_deferred(session: Session) -> None:
    """Write the queued rows now (in one round trip on PostgreSQL)."""
    batch: list[tuple[Table, dict[str, Any]]] | None = session.info.pop(_DEFERRED, None)
    if not batch:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for table, values in batch:
            connection.execute(table.insert().values(**values))
        return
    import psycopg
    from psycopg.types.json import Jsonb

    quote = connection.dialect.identifier_preparer.quote
    raw = connection.connection.driver_connection
    assert raw is not None
    try:
        with raw.pipeline(), raw.cursor() as cursor:
            for table, values in batch:
                names = tuple(values)
                columns = ", ".join(quote(n) for n in names)
                placeholders = ", ".join(f"%({n})s" for n in names)
                sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({placeholders})"  # noqa: S608
                params = {
                    n: Jsonb(v) if isinstance(table.c[n].type, JSON) and v is not None else v
                    for n, v in values.items()
                }
                cursor.execute(sql, params)
    except psycopg.Error as error:
        # The same exception types as a statement sent through SQLAlchemy (IntegrityError, …).
        # In a pipeline the failing INSERT is not known; name the tables the batch wrote to.
        statement = "pipelined INSERT INTO " + ", ".join(sorted({t.name for t, _ in batch}))
        raise DBAPIError.instance(
            statement, None, error, psycopg.Error, dialect=connection.dialect
        ) from error


@event.listens_for(Session, "do_orm_execute")
def _write_deferred_before_statement(state: ORMExecuteState) -> None:
    # Read-your-writes: a query in the same unit of work sees the queued rows.
    write_deferred(state.session)


@event.listens_for(Session, "before_commit")
def _write_deferred_before_commit(session: Session) -> None:
    session.flush()  # rows the queued ones may refer to go first
    write_deferred(session)


@event.listens_for(Session, "after_soft_rollback")
def _drop_deferred(session: Session, previous_transaction: SessionTransaction) -> None:
    # Whatever is still queued was queued inside the transaction or savepoint now rolled back
    # (``savepoint`` writes the queue before it begins).
    session.info.pop(_DEFERRED, None)


@contextmanager
def savepoint(session: Session) -> Iterator[SessionTransaction]:
    """``session.begin_nested()`` that keeps queued rows with the transaction they were queued in.

    Use it instead of ``begin_nested``: rows queued before the savepoint are written first, so that
    rolling back to it cannot take them along, and rows queued inside are dropped with it.
    """
    write_deferred(session)
    with session.begin_nested() as nested:
        yield nested


def for_update(stmt: Select[Any]) -> Select[Any]:
    """Row lock on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock."""
    return stmt.with_for_update()


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


def lock_rows(session: Session, table: Table, ids: Sequence[int]) -> None:
    """Lock rows in ascending id order so that concurrent writers queue instead of deadlocking."""
    if not ids:
        return
    stmt = select(table.c.id).where(table.c.id.in_(sorted(set(ids)))).order_by(table.c.id)
    session.execute(for_update(stmt)).all()
