"""Inputs no route can use, refused before any route runs (a pure ASGI middleware).

- A NUL character: PostgreSQL cannot store one in text (psycopg refuses the statement: a 500), while
  SQLite stores it, so the same input would be refused on one database and kept on the other. A NUL
  in the path, the query, a header or a JSON or form body answers the 422 ``validation_error`` that
  every route with inputs documents.
- A form body that is not UTF-8 once its %-escapes are undone answers 400 ``malformed_body``, as a JSON
  body that is not UTF-8 does (Starlette would read it as Latin-1 and hand the route mojibake).

Bodies of other types (pictures, settlement files) are bytes the routes read as such and pass untouched.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finlife.kit.i18n import negotiate, translate
from finlife.kit.problems import header_of, send_problem

# ``\u0000`` in JSON text, unless its backslash is itself escaped (``\\u0000`` is six characters).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_NUL = re.compile(rb"%00|\x00")
_TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")


class RefuseUnreadableInput:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = _nul_outside_body(scope)
        content_type = (header_of(scope, b"content-type") or "").split(";")[0].strip().lower()
        if where is None and (content_type in _TEXT_BODIES or content_type.endswith("+json")):
            body, receive = await _buffered(receive)
            form = content_type.endswith("urlencoded")
            if form and not _utf8_form(body):
                language = negotiate(header_of(scope, b"accept-language"))
                detail = translate("malformed_body", language)
                await send_problem(scope, send, status=400, code="malformed_body", detail=detail)
                return
            where = "body" if (_FORM_NUL if form else _JSON_NUL).search(body) else None
        if where is None:
            await self.app(scope, receive, send)
            return
        language = negotiate(header_of(scope, b"accept-language"))
        detail = f"{translate('validation_error', language)}: {where}"
        error = {"field": where, "message": "NUL (U+0000) is not allowed", "type": "string_contains_nul"}
        await send_problem(
            scope, send, status=422, code="validation_error", detail=detail, extra={"errors": [error]}
        )


def _utf8_form(body: bytes) -> bool:
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _nul_outside_body(scope: Scope) -> str | None:
    if "\x00" in scope["path"]:
        return "path"
    if _FORM_NUL.search(scope.get("query_string", b"")):
        return "query"
    for name, value in scope.get("headers", ()):
        if b"\x00" in value:
            header: str = name.decode("latin-1")
            return header
    return None


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a ``receive`` that hands it on as one message (then the client's own)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: pass that on as it is
            return b"", _replaying([message], receive)
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, _replaying([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replaying(first: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return first.pop(0) if first else await receive()

    return replay
