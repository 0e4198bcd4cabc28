"""Idempotency-Key for money-moving POSTs: a retry gets the first answer, never a second effect.

The key is checked and stored in the request's own transaction, so a failed request leaves no key
behind and the retry runs afresh. On PostgreSQL a transaction-scoped advisory lock on the key tells
"the first request is still running" (409) apart from "it finished" (replay); on SQLite the
IMMEDIATE transaction already serialises writers, so a duplicate always sees the finished first one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Header
from pydantic import BaseModel
from sqlalchemy import JSON, Integer, String, UniqueConstraint, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.responses import JSONResponse

from finlife.kit.clock import clock
from finlife.kit.db import Base, BigId, UTCDateTime, defer_insert, table_of
from finlife.kit.errors import BadRequest, Conflict, RuleViolation

HEADER = "Idempotency-Key"


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
        max_length=255,
        description="Required on money-moving requests: a retry with the same key gets the first answer.",
    ),
) -> str:
    if not key:
        raise BadRequest("idempotency_key_missing", field=HEADER)
    return key


def fingerprint(method: str, path: str, body: BaseModel | dict[str, Any] | None) -> str:
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    canonical = json.dumps([method, path, data], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _advisory_key(scope: str, key: str) -> int:
    digest = hashlib.blake2b(f"{scope}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True)
class Outcome:
    """The answer to a request run at most once: its status, its JSON body, and whether it is a replay."""

    status_code: int
    body: dict[str, Any]
    replayed: bool


def once(
    session: Session,
    *,
    scope: str,
    key: str,
    request_fingerprint: str,
    status_code: int,
    work: Callable[[], BaseModel],
) -> Outcome:
    """Run ``work`` once per (scope, key); its answer is stored with its effects, atomically.

    Channels other than JSON (web forms carry a key rendered into the form) use this directly.
    """
    if session.get_bind().dialect.name == "postgresql":
        locked = session.execute(
            text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": _advisory_key(scope, key)}
        ).scalar_one()
        if not locked:
            raise Conflict("idempotency_in_progress")
    existing = session.execute(
        select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.fingerprint != request_fingerprint:
            raise RuleViolation("idempotency_key_reused", field=HEADER)
        return Outcome(existing.response_status, existing.response_body, replayed=True)
    body = work().model_dump(mode="json")
    defer_insert(
        session,
        table_of(IdempotencyRecord),
        {
            "scope": scope,
            "key": key,
            "fingerprint": request_fingerprint,
            "response_status": status_code,
            "response_body": body,
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
) -> JSONResponse:
    """``once`` for a JSON API route: a replay carries the ``Idempotent-Replayed: true`` header."""
    outcome = once(
        session,
        scope=scope,
        key=key,
        request_fingerprint=request_fingerprint,
        status_code=status_code,
        work=work,
    )
    headers = {HEADER: key, **({"Idempotent-Replayed": "true"} if outcome.replayed else {})}
    return JSONResponse(outcome.body, status_code=outcome.status_code, headers=headers)
