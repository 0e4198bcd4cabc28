"""Routes are tried in order (app.py lists the busiest routers first for speed): that order may change
only while no route is shadowed by an earlier one. For every route and method, the path it serves
(each parameter filled in) must be taken by that route itself; a literal path such as
``/v1/campaigns/live`` listed after ``/v1/campaigns/{campaign_id}`` would fail here."""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient


def _routes(client: TestClient) -> list[APIRoute]:
    app: Any = client.app
    contexts = iter_route_contexts(app.routes)
    return [c.original_route for c in contexts if isinstance(c.original_route, APIRoute)]


def test_no_route_is_shadowed_by_an_earlier_one(client: TestClient) -> None:
    routes = _routes(client)
    assert len(routes) > 400  # the API and the pages, not an empty app
    shadowed = []
    for route in routes:
        served = re.sub(r"\{[^}]+\}", "x", route.path)
        for method in route.methods:
            first = next(r for r in routes if method in r.methods and r.path_regex.match(served))
            if first is not route:
                shadowed.append(f"{method} {route.path} is taken by {first.path}")
    assert shadowed == []


def test_the_busiest_paths_are_matched_among_the_first_routes(client: TestClient) -> None:
    routes = _routes(client)
    busiest = [
        ("POST", "/v1/transfers"),
        ("GET", "/v1/me/recommendations"),
        ("GET", "/v1/life/merchants"),
        ("POST", "/v1/life/campaigns/x/claim"),
        ("POST", "/v1/orders"),
        ("GET", "/v1/orders/x/qr"),
        ("POST", "/v1/qr/payments"),
    ]
    for method, path in busiest:
        position = next(i for i, r in enumerate(routes) if method in r.methods and r.path_regex.match(path))
        assert position < 80, (path, position)
