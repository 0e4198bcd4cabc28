"""Every route declares who may call it: an ``Access`` dependency somewhere in its dependency tree."""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount, Route

from finlife.kit.auth import Access

# FastAPI's own documentation routes are public by design; static files are the design system's.
DOCUMENTATION = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _accesses(dependant: Dependant) -> list[Access]:
    found = [dependant.call] if isinstance(dependant.call, Access) else []
    for sub in dependant.dependencies:
        found.extend(_accesses(sub))
    return found


def test_every_route_declares_its_audience(app) -> None:  # type: ignore[no-untyped-def]
    undeclared = []
    declared = 0
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            if _accesses(route.dependant):
                declared += 1
            else:
                undeclared.append(f"{sorted(route.methods)} {route.path}")
        elif (isinstance(route, Route) and route.path in DOCUMENTATION) or (
            isinstance(route, Mount) and route.path == "/static"
        ):
            continue
        else:
            undeclared.append(f"{type(route).__name__} {getattr(route, 'path', route)}")
    assert undeclared == []
    assert declared >= 3


def test_access_describes_itself() -> None:
    assert Access.public_route().describe() == "public"
    assert Access.signed_in().describe() == "any signed-in user"
