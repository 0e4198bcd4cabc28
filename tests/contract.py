"""A check that runs under every test: each answer a documented route gives has a status its
OpenAPI operation documents, and an error answer is problem+json. The document's statuses are
derived from the code (``finlife.kit.contract``); this is the other direction, from behaviour."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finlife.kit.errors import PROBLEM_JSON

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


class AnswerCheck:
    """Pure ASGI: records each undocumented answer in ``found`` (a test then fails on it)."""

    def __init__(self, app: ASGIApp, *, owner: FastAPI, found: list[str]) -> None:
        self.app = app
        self.owner = owner
        self.found = found

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer: dict[str, Any] = {}

        async def remember(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["type"] = dict(message.get("headers", [])).get(b"content-type", b"").decode()
                answer["body"] = b""
            elif message["type"] == "http.response.body" and answer["type"] == PROBLEM_JSON:
                answer["body"] += message.get("body", b"")
            await send(message)

        await self.app(scope, receive, remember)
        route = scope.get("route")
        if isinstance(route, APIRoute) and route.include_in_schema and "status" in answer:
            self._check(route, scope["method"], answer["status"], answer["type"])
        if answer.get("body"):  # a problem's words: never a placeholder shown raw
            problem = json.loads(answer["body"])
            for words in (problem.get("title", ""), problem.get("detail", "")):
                if PLACEHOLDER.search(words):
                    self.found.append(f"{scope['method']} {scope['path']}: {problem['code']} says {words!r}")

    def _check(self, route: APIRoute, method: str, status: int, content_type: str) -> None:
        operation = self.owner.openapi()["paths"][route.path_format].get(method.lower())
        if operation is None:
            return  # a method the path does not have: the router's 405, no operation's answer
        where = f"{method} {route.path_format} answered {status}"
        if str(status) not in operation["responses"]:
            self.found.append(f"{where}, which its operation does not document")
        # An error is problem+json, unless its operation documents another shape for that status
        # (OAuth 2.0's JSON error on the /oauth endpoints).
        documented = operation["responses"].get(str(status), {}).get("content") or {PROBLEM_JSON: {}}
        if status >= 400 and content_type.split(";")[0] not in documented:
            self.found.append(f"{where} as {content_type}, not {' or '.join(sorted(documented))}")


def install_answer_check(app: FastAPI) -> list[str]:
    found: list[str] = []
    app.add_middleware(AnswerCheck, owner=app, found=found)
    return found
