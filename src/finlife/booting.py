"""Listen first, load after: a restarted node answers ``/healthz`` while the app is still loading.

Importing every module of finlife and building the app costs a few seconds of CPU (FastAPI, SQLAlchemy,
Pydantic models, the routers and pages of every module, pyiso20022, Faker for the demo; see
CONTRIBUTING). A node that only answered once all of it was done looked dead to a supervisor for
that long. ``BootingApp`` is what uvicorn serves: it starts listening at once and loads the real app
in a thread; meanwhile it answers ``/healthz`` itself (the process is alive: 200, ``starting``) and
``/readyz`` 503 (do not send traffic yet), and any other request waits for the app and is then
served by it. The real app's own start-up (the schema check, then the bank admin on a new database)
runs as before, after the load; if it fails, requests still waiting are answered 503 and
``on_failure`` stops the server (``finlife.serving`` then exits with its start-up failure code).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from finlife import __version__
from finlife.kit.i18n import negotiate, translate

if TYPE_CHECKING:
    from finlife.kit.db import Database
    from finlife.settings import Settings

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STARTING = "not_ready_starting"
START_FAILED = "not_ready_start_failed"


def load_app() -> Any:
    """The real app, imported and built now (the heavy part), with the bank admin made if missing."""
    from finlife.app import create_app  # here, not at the top: after the socket listens

    return create_app()


def ensure_admin(database: Database, settings: Settings, show: Callable[[str], None] = print) -> None:
    """Create the bank admin on a new database; ``show`` a generated password, once."""
    from sqlalchemy.exc import IntegrityError

    from finlife.identity import service as identity

    try:
        with database.unit_of_work() as session:
            generated = identity.ensure_admin(session, settings)
    except IntegrityError:  # another node, starting at the same moment on a new database, made it
        return
    if generated:
        show(
            f"Created bank admin 'admin' with password: {generated}"
            "  (shown once; set FINLIFE_ADMIN_PASSWORD to choose it)"
        )


def _admin_of(app: Any) -> None:
    ensure_admin(app.state.db, app.state.settings, lambda text: print(text, flush=True))


class BootingApp:
    """The ASGI app uvicorn serves from the first moment; the real one once it is loaded."""

    def __init__(
        self,
        load: Callable[[], Any] = load_app,
        after_start: Callable[[Any], None] = _admin_of,
    ) -> None:
        self._load = load
        self._after_start = after_start
        self.app: ASGIApp | None = None
        self.failed: BaseException | None = None
        self.on_failure: Callable[[], None] = lambda: None
        self._loaded = asyncio.Event()
        self._lifespan: AbstractAsyncContextManager[Any] | None = None
        self._boot: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan_events(receive, send)
            return
        if self.app is None and scope["type"] == "http" and scope["path"] in ("/healthz", "/readyz"):
            await self._answer_while_loading(scope, send)
            return
        await self._loaded.wait()
        if self.app is None:
            await _problem(scope, send, START_FAILED)
            return
        await self.app(scope, receive, send)

    async def _lifespan_events(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup: listen now, load in the background
        self._boot = asyncio.create_task(self._load_and_start())
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        if self._lifespan is not None:
            await self._lifespan.__aexit__(None, None, None)
        await send({"type": "lifespan.shutdown.complete"})

    async def _load_and_start(self) -> None:
        try:
            app = await asyncio.to_thread(self._load)
            lifespan = app.router.lifespan_context(app)
            await lifespan.__aenter__()  # the real app's start-up: the schema check
            self._lifespan = lifespan
            await asyncio.to_thread(self._after_start, app)
            self.app = app
        except Exception as error:
            log.error("finlife could not start: %s", error)
            self.failed = error
            self.on_failure()
        finally:
            self._loaded.set()

    async def _answer_while_loading(self, scope: Scope, send: Send) -> None:
        if scope["path"] == "/readyz":
            await _problem(scope, send, STARTING)
            return
        body = json.dumps({"status": "starting", "version": __version__}).encode()
        await _send(send, 200, "application/json", body)


async def _problem(scope: Scope, send: Send, code: str) -> None:
    headers = dict(scope.get("headers") or [])
    language = negotiate(headers.get(b"accept-language", b"").decode("latin-1") or None)
    title = translate(code, language, {})
    problem = {"type": f"https://finlife.dev/problems/{code}", "title": title, "status": 503}
    problem |= {"detail": title, "code": code, "instance": scope["path"]}
    await _send(send, 503, "application/problem+json", json.dumps(problem, ensure_ascii=False).encode())


async def _send(send: Send, status: int, content_type: str, body: bytes) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": body})
