"""kit.hot_routes: a hot route reaches its endpoint with the scope FastAPI's own walk gives it, other
requests go the usual way, and a route that an earlier one might take is refused at install."""

from __future__ import annotations

import asyncio
import re
from collections.abc import MutableMapping
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.types import Receive, Scope, Send

from finlife.app import HOT_ROUTES
from finlife.kit import hot_routes
from finlife.kit.hot_routes import HotRoutes

CLAIM = "/v1/life/campaigns/{campaign_id}/claim"


def _context_of(app: FastAPI, method: str, template: str) -> Any:
    for context in iter_route_contexts(app.router.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.path == template and method in (route.methods or ()):
            return context._route_context
    raise AssertionError(template)


def _scope(method: str, path: str) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [],
        "state": {},
    }


async def _nothing() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _drop(message: MutableMapping[str, Any]) -> None:
    return None


@pytest.mark.parametrize(("method", "template"), HOT_ROUTES)
def test_a_hot_route_sees_the_scope_fastapis_walk_gives_it(
    client: TestClient, method: str, template: str
) -> None:
    app: Any = client.app
    stack = app.router.middleware_stack
    assert isinstance(stack, HotRoutes)
    context = _context_of(app, method, template)
    seen: list[dict[str, Any]] = []

    async def record(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(dict(scope))

    path = re.sub(r"\{(\w+)\}", lambda m: f"{m[1]}-123", template)
    endpoint_app = context.app
    context.app = record
    try:
        asyncio.run(stack(_scope(method, path), _nothing, _drop))  # the hot way
        asyncio.run(app.router.app(_scope(method, path), _nothing, _drop))  # FastAPI's walk
    finally:
        context.app = endpoint_app
    assert len(seen) == 2
    hot, walked = seen
    assert hot == walked
    assert hot["route"] is context.original_route
    assert hot["path_params"] == {name: f"{name}-123" for name in re.findall(r"\{(\w+)\}", template)}


def test_other_requests_go_the_usual_way(client: TestClient) -> None:
    # The claim's path with another method: FastAPI's own 405, with its Allow header.
    answer = client.get("/v1/life/campaigns/cpn_1/claim")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "POST"
    # A path one segment longer than the claim's is no claim.
    assert client.post("/v1/life/campaigns/cpn_1/claim/again").status_code == 404
    # And the claim itself still answers through the hot way: no token, 401 problem+json.
    refused = client.post("/v1/life/campaigns/cpn_1/claim", headers={"Idempotency-Key": "k1"})
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    # The order's QR payload is hot; its PNG beside it is not, and still answers (401 without a token).
    assert client.get("/v1/orders/ord_1/qr").status_code == 401
    assert client.get("/v1/orders/ord_1/qr.png").status_code == 401
    assert client.post("/v1/orders/ord_1/qr").status_code == 405


def _two_routers(first_path: str, second_path: str) -> FastAPI:
    app = FastAPI()
    first, second = APIRouter(), APIRouter()

    @first.post(first_path)
    def earlier() -> dict[str, str]:
        return {"route": "earlier"}

    @second.post(second_path)
    def later() -> dict[str, str]:
        return {"route": "later"}

    app.include_router(first)
    app.include_router(second)
    return app


@pytest.mark.parametrize(
    "earlier",
    ["/v1/things/{thing_id}", "/v1/{kind}/special", "/v1/files/{rest:path}"],
)
def test_a_route_an_earlier_one_might_take_is_refused(earlier: str) -> None:
    later = "/v1/files/special" if "files" in earlier else "/v1/things/special"
    app = _two_routers(earlier, later)
    with pytest.raises(ValueError, match="may be taken by"):
        hot_routes.install(app, [("POST", later)])
    # Taken the usual way, the earlier route answers: that is why the shortcut is refused.
    assert TestClient(app).post(later).json() == {"route": "earlier"}


def test_a_route_no_earlier_one_can_take_is_installed_and_answers() -> None:
    app = _two_routers("/v1/things/{thing_id}/more", "/v1/things/{thing_id}")
    # Another method on the same path cannot take it either.
    app.router.add_api_route("/v1/things/{thing_id}", lambda: {"route": "get"}, methods=["GET"])
    hot_routes.install(app, [("POST", "/v1/things/{thing_id}")])
    assert isinstance(app.router.middleware_stack, HotRoutes)
    client = TestClient(app)
    assert client.post("/v1/things/t1").json() == {"route": "later"}
    assert client.post("/v1/things/t1/more").json() == {"route": "earlier"}
    assert client.get("/v1/things/t1").json() == {"route": "get"}


def test_a_route_that_is_not_in_an_included_router_is_refused() -> None:
    app = _two_routers("/v1/a", "/v1/b")
    with pytest.raises(ValueError, match="no included route"):
        hot_routes.install(app, [("POST", "/v1/c")])
    with pytest.raises(ValueError, match="no included route"):
        hot_routes.install(app, [("GET", "/v1/b")])
