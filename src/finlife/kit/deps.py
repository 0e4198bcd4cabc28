"""FastAPI dependencies shared by every module's routes."""

from __future__ import annotations

import email.message
import json
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Annotated, Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from finlife.kit.db import Database, commit
from finlife.kit.group_commit import GroupCommit, Prepare
from finlife.kit.pipeline import has_work
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
        if has_work(session):
            await run_in_threadpool(commit, session)
    except BaseException:
        if session.in_transaction():
            await run_in_threadpool(session.rollback)
        raise
    finally:
        session.close()  # no transaction is left open here, so this does no I/O


T = TypeVar("T")


async def in_unit_of_work(request: Request, work: Callable[[Session], T]) -> T:
    """Run ``work(session)`` in the threadpool, in a unit of work of its own: what ``DbSession`` gives
    a sync route, without a generator dependency (FastAPI's exit stack cost ~10 % of a transfer).

    Committed in the same thread if ``work`` left anything to commit (``run_once`` commits itself),
    rolled back on any error; one trip through the threadpool in all.
    """
    database: Database = request.app.state.db

    def run() -> T:
        session = database.sessions()
        try:
            result = work(session)
            if has_work(session):
                commit(session)
            return result
        except BaseException:
            if session.in_transaction():
                session.rollback()
            raise
        finally:
            session.close()

    return await run_in_threadpool(run)


async def in_group_commit(
    request: Request,
    name: str,
    work: Callable[[Session], T],
    *,
    hint: Any = None,
    prepare: Callable[[], Prepare | None] = lambda: None,
) -> T:
    """``in_unit_of_work``, committed together with concurrent requests of the same ``name`` on
    PostgreSQL (``kit.group_commit``); on SQLite, which has one writer at a time, alone.

    ``prepare()`` makes the batch's lock-taking function the first time ``name`` is used by this app.
    """
    database: Database = request.app.state.db
    if database.is_sqlite:
        return await in_unit_of_work(request, work)
    state = request.app.state
    committers: dict[str, GroupCommit] | None = getattr(state, "group_commits", None)
    if committers is None:
        committers = state.group_commits = {}
    committer = committers.get(name)
    if committer is None:
        committer = committers[name] = GroupCommit(database, prepare=prepare())
    return await committer.run(work, hint=hint)


async def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# scope="function": commit before the response goes out, so a failed commit is a failed answer.
DbSession = Annotated[Session, Depends(db_session, scope="function")]
AppSettings = Annotated[Settings, Depends(app_settings)]


RequestHandler = Callable[[Request], Coroutine[Any, Any, Response]]


def direct_route(handler: RequestHandler) -> type[APIRoute]:
    """A route class whose requests go straight to ``handler(request)``.

    For the hot path only (``POST /v1/transfers``): FastAPI's dependency solving was half of the
    Python calls the event loop made per transfer. The endpoint is still declared as usual, so the
    OpenAPI document and the route's declared audience (the ``Access`` in its signature, which
    tests/test_route_permissions.py reads) come from the declaration; the handler must do what the
    declaration promises (``read_json_body``, the same ``Access``, ``kit.idempotency.required_key``,
    ``body_errors``), in FastAPI's order: an unreadable body first, then the dependencies, then the
    validation errors. A test sends the same requests to the endpoint solved by FastAPI and compares.
    """

    class DirectRoute(APIRoute):
        def get_route_handler(self) -> RequestHandler:
            return handler

    return DirectRoute


M = TypeVar("M", bound=BaseModel)


async def read_json_body(request: Request) -> Any:
    """The body as FastAPI reads it before any dependency: JSON only under a JSON content type
    (otherwise the bytes, which then fail validation), malformed JSON or a body that is not UTF-8 a
    problem at once (400 ``malformed_body``), an empty body None (a validation error once the
    dependencies have passed)."""
    raw = await request.body()
    if not raw:
        return None
    if not _is_json(request.headers.get("content-type")):
        return raw
    try:
        return json.loads(raw)
    except UnicodeDecodeError as error:  # FastAPI's answer to a body it cannot read (400)
        raise HTTPException(status_code=400, detail="There was an error parsing the body") from error
    except json.JSONDecodeError as error:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", error.pos),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": error.msg},
                }
            ]
        ) from error


def body_errors(model: type[M], data: Any, *, sent: bool) -> tuple[M | None, list[dict[str, Any]]]:
    """``model`` validated from a JSON body, or FastAPI's errors for it (located under ``body``).
    ``sent``: the request had a body; FastAPI validates a JSON ``null`` one, only no body is missing."""
    if data is None and not sent:
        return None, [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
    try:
        return model.model_validate(data, from_attributes=True), []  # as FastAPI validates a body
    except ValidationError as error:
        return None, [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]


def adapted_body_errors(
    adapter: TypeAdapter[T], data: Any, *, sent: bool
) -> tuple[T, list[dict[str, Any]]] | tuple[None, list[dict[str, Any]]]:
    """``body_errors`` for a body that is no single model (a discriminated union of tenders).
    ``sent``: the request had a body; FastAPI validates a JSON ``null`` one, only no body is missing."""
    if data is None and not sent:
        return None, [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
    try:
        return adapter.validate_python(data, from_attributes=True), []
    except ValidationError as error:
        return None, [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_url=False)]


def _is_json(content_type: str | None) -> bool:
    if content_type == "application/json":  # what nearly every client sends
        return True
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )
