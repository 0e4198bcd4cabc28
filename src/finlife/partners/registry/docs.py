"""The routes a partner's token may call, read from the app's own route table (the scopes each
route's ``Access`` declares), for the console's API documentation page: nothing kept by hand."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from finlife.kit.auth import Access


@dataclass(frozen=True)
class PartnerRoute:
    method: str
    path: str
    summary: str
    scopes: tuple[str, ...]


def _scopes(dependant: Dependant) -> frozenset[str]:
    found = dependant.call.scopes if isinstance(dependant.call, Access) else frozenset()
    for sub in dependant.dependencies:
        found |= _scopes(sub)
    return found


def partner_routes(app: FastAPI) -> list[PartnerRoute]:
    """Every documented route a partner's token is admitted to, by path and method."""
    found: list[PartnerRoute] = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        scopes = _scopes(route.dependant)
        if scopes:
            found.extend(
                PartnerRoute(method, route.path, route.summary or "", tuple(sorted(scopes)))
                for method in sorted(route.methods or ())
            )
    return sorted(found, key=lambda r: (r.path, r.method))
