"""FastAPI dependencies shared by every module's routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from finlife.kit.db import Database, commit
from finlife.settings import Settings


async def db_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: committed before the answer is sent, rolled back on any error.

    Async, so that opening it costs no trip to the threadpool (a session connects on first use);
    only a session with a transaction still open takes one, to commit or roll back. A money-moving
    POST has already committed in its own thread (``kit.idempotency.run_once``).
    """
    database: Database = request.app.state.db
    session = database.sessions()
    try:
        yield session
        if session.in_transaction():
            await run_in_threadpool(commit, session)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        session.close()  # no transaction is left open here, so this does no I/O


async def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response goes out, so a failed commit is a failed answer.
DbSession = Annotated[Session, Depends(db_session, scope="function")]
AppSettings = Annotated[Settings, Depends(app_settings)]
