"""Hot routes: the busiest POSTs go straight to their router instead of through FastAPI's walk.

FastAPI finds a request's route by asking every route before it, in order, whether it matches, and
each router included in the app walks its own routes (with a scope update and a version check per
route) twice: once to say it matches, once to pick the route. Under a flash claim that walk was
about a fifth of the event loop's samples in a py-spy profile (~40 routes tried before the claim's).

``HotRoutes`` sits where FastAPI's router starts (``app.router.middleware_stack``, inside the
exception handlers, so errors are answered as before). A request whose method and path match one
of a few declared routes is handed to the included router that holds the route, which matches it
and fills in the scope itself, exactly as after FastAPI's own walk; any other request goes the
usual way. It is only taken when no route before that router could match any path the hot route
matches (``install`` checks the route table, segment by segment, and refuses otherwise), so the
answer is the one FastAPI's walk would give: the first route that matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute, Mount, Router
from starlette.types import ASGIApp, Receive, Scope, Send

_PARAM = re.compile(r"^\{[^}:]+(:[^}]+)?\}$")


@dataclass(frozen=True, slots=True)
class _Hot:
    method: str
    regex: re.Pattern[str]
    holder: BaseRoute  # the app's top-level entry (an included router) that holds the route


class HotRoutes:
    """Pure ASGI: hands a request for a hot route to its router, everything else to ``app``."""

    def __init__(self, app: ASGIApp, router: Router, hot: Sequence[_Hot]) -> None:
        self.app = app
        self.router = router
        self.hot = tuple(hot)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            method, path = scope["method"], scope["path"]
            for hot in self.hot:
                if method == hot.method and hot.regex.match(path):
                    scope.setdefault("router", self.router)  # as FastAPI's router sets it
                    await hot.holder.handle(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def install(app: FastAPI, routes: Iterable[tuple[str, str]]) -> None:
    """Take ``(method, path template)`` routes (e.g. ``("POST", "/v1/transfers")``) straight to their
    routers. Call once every route is added. Raises ``ValueError`` for a route the app does not have
    in an included router, or one that a route before its router might take for some path."""
    router = app.router
    # FastAPI's walk would apply the app router's form limits, and its own middleware or body limit
    # would run before it: none are set here, and a hot route must not skip them if they ever are.
    if getattr(router, "form_limits", None) or router.middleware_stack != router.app:
        raise ValueError("hot routes would skip the app router's own limits or middleware")
    hot: list[_Hot] = []
    for method, template in routes:
        position, route = _holder_of(app.router.routes, method, template)
        earlier = [c for entry in app.router.routes[:position] for c in iter_route_contexts([entry])]
        for context in earlier:
            if _may_take(context.original_route, method, template):
                raise ValueError(f"{method} {template} may be taken by {getattr(context, 'path', context)}")
        hot.append(_Hot(method, route.path_regex, app.router.routes[position]))
    router.middleware_stack = HotRoutes(router.middleware_stack, router, hot)


def _holder_of(entries: Sequence[BaseRoute], method: str, template: str) -> tuple[int, APIRoute]:
    """The position of the top-level entry (an included router) that holds the route, and the route."""
    for position, entry in enumerate(entries):
        if isinstance(entry, APIRoute):
            continue  # a route of the app itself: not worth a shortcut, and not what is asked for
        for context in iter_route_contexts([entry]):
            route = context.original_route
            if isinstance(route, APIRoute) and route.path == template and method in (route.methods or ()):
                return position, route
    raise ValueError(f"no included route {method} {template}")


def _may_take(route: BaseRoute, method: str, template: str) -> bool:
    """Whether ``route`` could match some path that ``template`` matches, for ``method``: literal
    segments must be equal; a parameter matches any segment (a ``:path`` one, any rest)."""
    if isinstance(route, Mount):
        return _segments_overlap(_segments(route.path), _segments(template), prefix=True)
    path = getattr(route, "path", None)
    if path is None:
        return True  # a route of unknown shape (a host, a custom route): assume the worst
    methods = getattr(route, "methods", None)
    if methods is not None and method not in methods:
        return False
    return _segments_overlap(_segments(path), _segments(template), prefix=False)


def _segments(path: str) -> list[str]:
    return path.split("/")


def _segments_overlap(theirs: list[str], ours: list[str], *, prefix: bool) -> bool:
    for position, segment in enumerate(theirs):
        if _PARAM.match(segment) and segment.endswith(":path}"):
            return True  # takes any rest of the path
        if position >= len(ours):
            return False
        mine = ours[position]
        if _PARAM.match(segment) or _PARAM.match(mine):
            continue
        if segment != mine:
            return False
    return prefix or len(theirs) == len(ours)
