"""What the tests of each direct route (``kit.deps.direct_route``) share: the same endpoint mounted as
an ordinary FastAPI route beside it (its "twin"), an answer reduced to what must be equal, and the
check that the declared route really is the direct one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient


def mount_twin(
    client: TestClient, path: str, endpoint: Callable[..., Any], response_model: Any = None
) -> None:
    """``endpoint`` at ``path`` as FastAPI solves it, once per app; out of the document (a test's own
    route is no part of the contract)."""
    app: Any = client.app
    if not any(getattr(route, "path", None) == path for route in app.router.routes):
        app.router.add_api_route(
            path,
            endpoint,
            methods=["POST"],
            response_model=response_model,
            status_code=201,
            include_in_schema=False,
        )


def answer(client: TestClient, path: str, **request: Any) -> tuple[int, Any, Any]:
    """A POST's status, problem code and validation errors: what a direct route and its twin share."""
    response = client.post(path, **request)
    body = response.json()
    return response.status_code, body.get("code"), body.get("errors")


def assert_direct(client: TestClient, path: str, method: str = "POST") -> dict[str, Any]:
    """The route declared at ``path`` skips FastAPI's solving; returns its OpenAPI operation."""
    app: Any = client.app
    [route] = [
        context.original_route
        for context in iter_route_contexts(app.routes)
        if getattr(context.original_route, "path", None) == path
        and method in getattr(context.original_route, "methods", ())
    ]
    assert isinstance(route, APIRoute)
    assert type(route).get_route_handler is not APIRoute.get_route_handler  # the direct one
    operation: dict[str, Any] = client.get("/openapi.json").json()["paths"][path][method.lower()]
    return operation
