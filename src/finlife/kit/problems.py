"""A problem+json answer sent straight through ASGI, for the middlewares that refuse a request
before any route (and so FastAPI's exception handlers) runs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.types import Scope, Send

from finlife.kit.errors import PROBLEM_BASE, PROBLEM_JSON
from finlife.kit.i18n import negotiate, translate


def header_of(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            decoded: str = value.decode("latin-1").strip()
            return decoded
    return None


async def send_problem(
    scope: Scope,
    send: Send,
    *,
    status: int,
    code: str,
    detail: str,
    title: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    language = negotiate(header_of(scope, b"accept-language"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title if title is not None else translate(code, language),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": scope.get("path", ""),
        **(extra or {}),
    }
    payload = json.dumps(body, ensure_ascii=False).encode()
    headers = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
