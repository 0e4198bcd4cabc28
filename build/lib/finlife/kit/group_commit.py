"""Group commit: the units of work of concurrent requests, run in one transaction and committed once.

On PostgreSQL the floor of a small unit of work is not its statements but what surrounds them: a
session and a pooled connection, BEGIN, COMMIT (a WAL flush), a trip through the threadpool. A
``GroupCommit`` has threads of its own; one of them takes every unit of work queued since the last
batch (up to ``max_batch``), runs them one after another in one transaction on one connection, each
under a savepoint of its own, commits once, and answers every request with its own result. Taking
and running a batch is one thread's turn at a time; its COMMIT is not, so while one batch waits for
its commit the next one is already taken and run. (Measured: two threads each taking batches
whenever they liked made batches smaller, and they waited on each other's row locks.)

What a batch keeps of "one unit of work per request":
- Each request is checked as if it ran alone, in arrival order, seeing what the requests before it
  in the batch did: idempotency, limits, overdraft, caps.
- A request refused by a rule (a ``FinlifeError``) rolls back to its savepoint: nothing it did stays,
  and the others are untouched. The savepoint is queued (``kit.pipeline``) and travels with the
  request's first statement, so it costs no round trip of its own; a request that sent nothing
  while it ran (a transfer whose rows the batch remembers) needs none, and it is dropped.
- Before a batch runs, ``prepare`` takes every lock its requests will take, in the global lock order,
  so that two batches (two threads, two worker processes), or a batch and a plain request, never
  wait on each other in a cycle while a batch holds its locks to the end.
- Anything else that goes wrong (a database error, a failed COMMIT, a bug) rolls the whole batch
  back and runs each of its requests again alone, in a transaction of its own: one request's fault is
  never another's answer. Nothing of the batch was committed, so running a request again is safe.
- A batch of one runs alone from the start: under light load nothing changes.
- Rows the batch has locked stay locked to its end, so a module may remember them across its
  requests instead of reading them again (``kit.pipeline.batch_memory``: the deposit accounts
  resolved and the ledger rows locked by ``prepare``, with the balances the batch's postings left,
  the batch's idempotency keys and their answers). A request that is refused puts the memory back as
  it was when it began, as its savepoint does with the database.
Two requests with the same Idempotency-Key in one batch are answered as if the second came after the
first finished (a replay, or ``idempotency_key_reused``); across batches the key's advisory lock
answers 409 while the first is running, as it does between plain requests.

A unit of work run here must not commit, roll back or write through ``session.connection()``
directly: it shares the transaction with the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from finlife.kit.db import Database
from finlife.kit.errors import FinlifeError
from finlife.kit.pipeline import (
    DriverSQL,
    batch_memory,
    commit,
    defer_sql,
    has_work,
    queued,
    start_batch_memory,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Prepare = Callable[[Session, Sequence[Any]], None]


@dataclass(slots=True)
class _Request:
    work: Callable[[Session], Any]
    hint: Any
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


Outcome = tuple[bool, Any]  # (succeeded, its result or the exception to raise)


class GroupCommit:
    """Runs units of work submitted from the event loop in shared transactions (PostgreSQL only).

    ``prepare(session, hints)`` gets the ``hint`` of every request of a batch before any runs and
    locks what they will lock, in the global order.
    """

    def __init__(
        self, database: Database, *, prepare: Prepare | None = None, threads: int = 2, max_batch: int = 32
    ) -> None:
        # At most 64 subtransactions stay in PostgreSQL's per-backend cache; more would slow others.
        assert 1 <= max_batch <= 64
        self._database = database
        self._prepare = prepare
        self._threads = threads
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._turn = threading.Lock()
        self._started = False
        self._start_lock = threading.Lock()

    async def run(self, work: Callable[[Session], T], *, hint: Any = None) -> T:
        """Run ``work(session)`` in the next batch and return what it returns (or raise what it raised)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._start()
        self._queue.put(_Request(work, hint, loop, future))
        return await future

    def _start(self) -> None:
        if self._started:
            return
        with self._start_lock:
            if self._started:
                return
            for n in range(self._threads):
                threading.Thread(target=self._serve, name=f"finlife-group-commit-{n}", daemon=True).start()
            self._started = True

    def _serve(self) -> None:
        while True:
            # Taking a batch, locking and running it is one thread's turn; its COMMIT, a round trip
            # and a WAL flush, is not: the next batch is taken and run meanwhile (on another
            # connection, waiting on this one's row locks only where they share accounts).
            with self._turn:
                batch = [self._queue.get()]
                while len(batch) < self._max_batch:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                try:
                    ran = self._run_batch(batch) if len(batch) > 1 else self._run_alone(batch[0])
                except BaseException as error:  # the thread must outlive anything: answer and go on
                    ran = _Ran(None, [(False, error)] * len(batch))
            try:
                outcomes = self._finish(ran, batch)
            except BaseException as error:
                outcomes = [(False, error)] * len(batch)
            # One wake-up per event loop for the whole batch, not one per request.
            answers: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Outcome]]] = {}
            for request, outcome in zip(batch, outcomes, strict=True):
                answers.setdefault(request.loop, []).append((request.future, outcome))
            for loop, settled in answers.items():
                # RuntimeError: the loop has closed, so nobody is waiting any more.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_settle, settled)

    def _run_alone(self, request: _Request) -> _Ran:
        session = self._database.sessions()
        try:
            return _Ran(session, [(True, request.work(session))])
        except Exception as error:
            _close(session)
            return _Ran(None, [(False, error)])

    def _alone(self, request: _Request) -> Outcome:
        """Run one request in a transaction of its own and commit it."""
        ran = self._run_alone(request)
        return self._finish(ran, [request])[0]

    def _run_batch(self, batch: list[_Request]) -> _Ran:
        session = self._database.sessions()
        try:
            start_batch_memory(session)
            if self._prepare is not None:
                self._prepare(session, [request.hint for request in batch])
            return _Ran(session, [self._in_savepoint(session, n, request) for n, request in enumerate(batch)])
        except Exception:
            _close(session)
            return _Ran(None, self._each_alone(batch))

    def _finish(self, ran: _Ran, batch: list[_Request]) -> list[Outcome]:
        """Commit what ran (if anything is left to commit) and return each request's outcome."""
        session = ran.session
        if session is None:
            return ran.outcomes
        try:
            if has_work(session):
                commit(session)
            return ran.outcomes
        except Exception as error:
            _close(session)
            return [(False, error)] if len(batch) == 1 else self._each_alone(batch)
        finally:
            session.close()

    def _each_alone(self, batch: list[_Request]) -> list[Outcome]:
        """After a batch failed as a whole: nothing of it was committed, so running each request
        again, alone, is safe, and one request's fault is never another's answer."""
        log.warning("a group commit of %d requests failed; running each alone", len(batch), exc_info=True)
        return [self._alone(request) for request in batch]

    def _in_savepoint(self, session: Session, n: int, request: _Request) -> Outcome:
        marker = DriverSQL(f"SAVEPOINT group_{n}", {}, what="savepoint", savepoint=True)
        defer_sql(session, marker)
        remembered = start_batch_memory(session, batch_memory(session))
        try:
            result = request.work(session)
            session.flush()  # its ORM rows are written inside its savepoint
            _drop_unused(session, marker)
            return True, result
        except FinlifeError as refusal:
            _roll_back_to(session, marker, n)
            # Back to what the batch knew when this request began: the database is back there too.
            start_batch_memory(session, remembered)
            return False, refusal


@dataclass(slots=True)
class _Ran:
    """A batch (or a lone request) that has run: its session, still to be committed (None when
    nothing is left to commit), and each request's outcome."""

    session: Session | None
    outcomes: list[Outcome]


def _close(session: Session) -> None:
    if session.in_transaction():
        session.rollback()
    session.close()


def _drop_unused(session: Session, marker: DriverSQL) -> None:
    """A request that sent nothing while it ran needs no savepoint: all it did is still queued, and
    it succeeded. (A transfer whose rows the batch remembers asks the database nothing.)"""
    pending = queued(session)
    for position, item in enumerate(pending):
        if item is marker:
            del pending[position]
            return


def _roll_back_to(session: Session, marker: DriverSQL, n: int) -> None:
    """Undo one request of a batch: drop what it queued, and roll back what it already sent."""
    pending = queued(session)
    position = next((i for i, item in enumerate(pending) if item is marker), None)
    if position is not None:
        del pending[position:]  # its savepoint was never sent, so nothing of it was either
    else:
        pending.clear()  # everything still queued was queued after its savepoint was sent
        defer_sql(session, DriverSQL(f"ROLLBACK TO SAVEPOINT group_{n}", {}, what="rollback to savepoint"))
    for instance in list(session.new):
        session.expunge(instance)
    session.expire_all()  # objects it changed are read again from the database


def _settle(settled: list[tuple[asyncio.Future[Any], Outcome]]) -> None:
    for future, (succeeded, value) in settled:
        if future.done():  # the request was cancelled (its client went away); its work still counted
            continue
        if succeeded:
            future.set_result(value)
        else:
            future.set_exception(value)
