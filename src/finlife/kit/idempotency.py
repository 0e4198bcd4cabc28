"""Idempotency-Key for money-moving POSTs: a retry gets the first answer, never a second effect.

The key is checked and stored in the request's own transaction, so a failed request leaves no key
behind and the retry runs afresh. On PostgreSQL a transaction-scoped advisory lock on the key tells
"the first request is still running" (409) apart from "it finished" (replay); on SQLite the
IMMEDIATE transaction already serialises writers, so a duplicate always sees the finished first one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request
from pydantic import BaseModel
from sqlalchemy import JSON, Integer, String, UniqueConstraint, bindparam, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.responses import JSONResponse

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime, defer_insert, table_of
from finlife.kit.errors import BadRequest, Conflict, RuleViolation
from finlife.kit.pipeline import (
    Params,
    Prefetch,
    Rows,
    array_literal,
    batch_memory,
    commit,
    fetch_together,
    is_postgresql,
)

HEADER = "Idempotency-Key"
M = TypeVar("M", bound=BaseModel)
MAX_KEY_LENGTH = 255  # the column's width


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    fingerprint: Mapped[str] = mapped_column(String(64))
    response_status: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


async def idempotency_key(
    key: str | None = Header(
        default=None,
        alias=HEADER,
        max_length=MAX_KEY_LENGTH,
        description="Required on money-moving requests: a retry with the same key gets the first answer.",
    ),
) -> str:
    if not key:
        raise BadRequest("idempotency_key_missing", field=HEADER)
    return key


async def optional_idempotency_key(
    key: str | None = Header(
        default=None,
        alias=HEADER,
        max_length=MAX_KEY_LENGTH,
        description="Optional: a retry with the same key gets the first answer and creates nothing more.",
    ),
) -> str | None:
    """For a POST that creates something where no money moves: the key is honoured when sent."""
    return key or None


OptionalIdempotencyKey = Annotated[str | None, Depends(optional_idempotency_key)]


def required_key(headers: Mapping[str, str]) -> tuple[str, list[dict[str, Any]]]:
    """``idempotency_key`` for a route that reads its own headers (``kit.deps.direct_route``): the
    key, or FastAPI's validation error for a key too long (missing: the same 400, raised)."""
    key = headers.get(HEADER)
    if not key:
        raise BadRequest("idempotency_key_missing", field=HEADER)
    if len(key) > MAX_KEY_LENGTH:
        error = {
            "type": "string_too_long",
            "loc": ("header", HEADER),
            "msg": f"String should have at most {MAX_KEY_LENGTH} characters",
            "input": key,
            "ctx": {"max_length": MAX_KEY_LENGTH},
        }
        return key, [error]
    return key, []


def fingerprint(method: str, path: str, body: BaseModel | dict[str, Any] | None) -> str:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    canonical = json.dumps([method, path, data], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def keyed_fingerprint(
    secret_key: str, method: str, path: str, body: BaseModel, secret_fields: Sequence[str] = ()
) -> str:
    """``fingerprint`` with the body's secrets (a password, a PIN) replaced by one keyed HMAC of
    them: the idempotency table must not hold a plain hash a secret could be guessed back from."""
    data: dict[str, Any] = body.model_dump(mode="json")
    secrets = "\x00".join(str(data.pop(name, "")) for name in secret_fields)
    if secret_fields:
        data["secrets"] = hmac.new(secret_key.encode(), secrets.encode(), hashlib.sha256).hexdigest()
    return fingerprint(method, path, data)


def create_once(
    session: Session,
    request: Request,
    *,
    actor: Actor,
    key: str | None,
    body: BaseModel,
    work: Callable[[], M],
    secret_key: str = "",
    secret_fields: Sequence[str] = (),
    stored: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> M | JSONResponse:
    """A POST that creates something: without a key, ``work()`` as it is; with one, ``run_once``
    (201), so that a retry after a lost answer creates nothing more. Keys are the caller's own
    (everyone's, for a caller nobody signed in)."""
    if key is None:
        return work()
    return run_once(
        session,
        scope=actor.user_id or "anonymous",
        key=key,
        request_fingerprint=keyed_fingerprint(secret_key, "POST", request.url.path, body, secret_fields),
        status_code=201,
        work=work,
        stored=stored,
    )


def _advisory_key(scope: str, key: str) -> int:
    digest = hashlib.blake2b(f"{scope}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


# The advisory lock and the look-up of the first answer travel in one round trip (pipelined).
_LOCK_SQL = "SELECT pg_try_advisory_xact_lock(%(lock)s)"
_ANSWER_SQL = (
    "SELECT fingerprint, response_status, response_body FROM idempotency_keys"
    " WHERE scope = %(scope)s AND key = %(key)s"
)


def _first_answer(session: Session, scope: str, key: str) -> tuple[str, int, dict[str, Any]] | None:
    """The stored (fingerprint, status, body) of the first request with this key, if it finished.

    On PostgreSQL a concurrent first request still holding the key's advisory lock answers 409.
    Inside a group commit whose ``prepare`` sent ``keys_prefetch``, the answer is already known.
    """
    if is_postgresql(session):
        known = _known_keys(session)
        if known is not None and (scope, key) in known:
            locked, answer = known[(scope, key)]
        else:
            rows = fetch_together(
                session,
                (_LOCK_SQL, {"lock": _advisory_key(scope, key)}),
                (_ANSWER_SQL, {"scope": scope, "key": key}),
            )
            locked, found = rows[0][0][0], rows[1]
            answer = (found[0][0], found[0][1], found[0][2]) if found else None
        if not locked:
            raise Conflict("idempotency_in_progress")
        return answer
    row = session.execute(
        select(
            IdempotencyRecord.fingerprint, IdempotencyRecord.response_status, IdempotencyRecord.response_body
        ).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
    ).first()
    return (row[0], row[1], row[2]) if row is not None else None


# Inside a group commit: (scope, key) → (advisory lock taken, first answer or None), for every key of
# the batch, taken and looked up together before its first request runs (``keys_prefetch``).
_BATCH_KEY = "idempotency.keys"
Answer = tuple[str, int, dict[str, Any]]
_LOCK_MANY_SQL = (
    "SELECT pg_try_advisory_xact_lock(k)"
    " FROM unnest(%(locks)s::bigint[]) WITH ORDINALITY AS t (k, n) ORDER BY n"
)
# One index probe per key (the LIMIT keeps the planner from flattening it into a join). ``(scope,
# key) IN (SELECT … unnest …)`` was planned as a hash semi-join over a scan of the whole table, and
# a plan made while the table was small stays cached on its connection as the table grows (the
# scan took 14.5 ms a batch at 40,000 keys).
_ANSWER_MANY_SQL = (
    "SELECT k.scope, k.key, k.fingerprint, k.response_status, k.response_body"
    " FROM unnest(%(scopes)s::text[], %(keys)s::text[]) AS wanted (scope, key), LATERAL"
    " (SELECT * FROM idempotency_keys WHERE scope = wanted.scope AND key = wanted.key LIMIT 1) AS k"
)


def _known_keys(session: Session) -> dict[tuple[str, str], tuple[bool, Answer | None]] | None:
    memory = batch_memory(session)
    known: dict[tuple[str, str], tuple[bool, Answer | None]] | None = (
        memory.get(_BATCH_KEY) if memory is not None else None
    )
    return known


def keys_prefetch(session: Session, keys: Sequence[tuple[str, str]]) -> Prefetch | None:
    """Before a group commit's batch runs (PostgreSQL): the reads that take the advisory lock of
    every (scope, key) of its requests and look up their first answers, to send with the batch's
    other first reads (``kit.pipeline.prefetch_together``); ``once`` then asks the database
    nothing. The locks are taken before the lookup, as ``once`` takes them. None: nothing to read."""
    memory = batch_memory(session)
    if memory is None or not keys:
        return None
    wanted = sorted(set(keys))

    def keep(rows: list[Rows]) -> None:
        locks, found = rows
        answers = {(row[0], row[1]): (row[2], row[3], row[4]) for row in found}
        known = memory.setdefault(_BATCH_KEY, {})
        for (scope, key), (locked,) in zip(wanted, locks, strict=True):
            known[(scope, key)] = (bool(locked), answers.get((scope, key)))

    lock = (_LOCK_MANY_SQL, {"locks": array_literal(_advisory_key(scope, key) for scope, key in wanted)})
    scopes, names = array_literal(s for s, _ in wanted), array_literal(k for _, k in wanted)
    return Prefetch((lock, (_ANSWER_MANY_SQL, {"scopes": scopes, "keys": names})), keep)


@dataclass(frozen=True)
class Outcome:
    """The answer to a request run at most once: its status, its JSON body, and whether it is a replay."""

    status_code: int
    body: dict[str, Any]
    replayed: bool


def answered(session: Session, scope: str, key: str, *, found: Rows | None = None) -> bool:
    """Whether a first request with this key has finished (its answer is stored): a plain read,
    for work that must not start again before ``once`` would replay (an off-us authorisation).
    ``found``: the rows of ``answered_query``, when the caller sent it with its own reads."""
    if found is not None:
        return bool(found)
    return session.execute(_ANSWERED, {"scope": scope, "key": key}).first() is not None


def answered_query(scope: str, key: str) -> tuple[str, Params]:
    """PostgreSQL: ``answered``'s read by the driver, to send together with others."""
    return _ANSWERED_SQL, {"scope": scope, "key": key}


_ANSWERED_SQL = "SELECT id FROM idempotency_keys WHERE scope = %(scope)s AND key = %(key)s"


# Built once with bound parameters (every card payment asks it): keyed once, not on every call.
_ANSWERED = select(IdempotencyRecord.id).where(
    IdempotencyRecord.scope == bindparam("scope"), IdempotencyRecord.key == bindparam("key")
)


def once(
    session: Session,
    *,
    scope: str,
    key: str,
    request_fingerprint: str,
    status_code: int,
    work: Callable[[], BaseModel],
    stored: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> Outcome:
    """Run ``work`` once per (scope, key); its answer is stored with its effects, atomically.

    ``stored`` is what of the answer is kept for replays (a card's full number is answered once and
    never stored). Channels other than JSON (web forms carry a key rendered into the form) use this
    directly.
    """
    existing = _first_answer(session, scope, key)
    if existing is not None:
        stored_fingerprint, stored_status, stored_body = existing
        if stored_fingerprint != request_fingerprint:
            raise RuleViolation("idempotency_key_reused", field=HEADER)
        return Outcome(stored_status, stored_body, replayed=True)
    body = work().model_dump(mode="json")
    kept = stored(body) if stored is not None else body
    known = _known_keys(session)
    if known is not None:  # a second request with this key in the same batch replays this answer
        known[(scope, key)] = (True, (request_fingerprint, status_code, kept))
    defer_insert(
        session,
        table_of(IdempotencyRecord),
        {
            "scope": scope,
            "key": key,
            "fingerprint": request_fingerprint,
            "response_status": status_code,
            "response_body": kept,
            "created_at": clock.now(),
        },
    )
    return Outcome(status_code, body, replayed=False)


def run_once(
    session: Session,
    *,
    scope: str,
    key: str,
    request_fingerprint: str,
    status_code: int,
    work: Callable[[], BaseModel],
    stored: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> JSONResponse:
    """``once`` for a JSON API route: a replay carries the ``Idempotent-Replayed: true`` header.

    The route's answer is this function's, so the unit of work ends here: it commits in the thread
    that did the work, and the request's session (``kit.deps``) finds nothing left to do, which saves
    the request a second trip through the threadpool. A failed commit fails the request.
    """
    outcome = once(
        session,
        scope=scope,
        key=key,
        request_fingerprint=request_fingerprint,
        status_code=status_code,
        work=work,
        stored=stored,
    )
    commit(session)
    return respond(outcome, key)


def respond(outcome: Outcome, key: str) -> JSONResponse:
    """The JSON answer to a request run at most once; a replay carries ``Idempotent-Replayed: true``.

    Built from the already serialised body: FastAPI validates nothing more on the way out.
    """
    headers = {HEADER: key, **({"Idempotent-Replayed": "true"} if outcome.replayed else {})}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)
