"""The OpenAPI document states what each operation can really answer.

Every status a route can answer is derived from what the route declares, in one place
(``route_problems``): its ``Access`` (401, 403), its inputs (422 ``validation_error``; a body also
400 ``malformed_body``), its dependencies and the errors its services build (read from the source by
``kit.contract.raises``: an Idempotency-Key gives 400, 409 and 422 that way). Each is documented with
the one ``Problem`` schema under ``application/problem+json``; FastAPI's default 422 shape is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from http import HTTPStatus
from types import FunctionType, MethodType
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from finlife.kit.auth import Access, InsufficientScope
from finlife.kit.contract.problem import Problem
from finlife.kit.contract.raises import Raised, problems_of
from finlife.kit.errors import PROBLEM_JSON, Forbidden
from finlife.kit.idempotency import HEADER, MAX_KEY_LENGTH, idempotency_key

PROBLEM_REF = "#/components/schemas/Problem"
# A response a route declares in another standard's error shape (OAuth 2.0's JSON error, RFC 6749
# §5.2, which partners' OAuth libraries parse): kept as declared, the Problem shape added beside it
# only if the route can also answer a problem with that status.
OWN_ERROR_SHAPE = "x-own-error-shape"
# FastAPI's own shapes, replaced by Problem everywhere.
DEFAULT_SHAPES = ("HTTPValidationError", "ValidationError")
Problems = dict[int, set[str]]


def own_error_shape(model: type[Any], description: str, codes: Iterable[str]) -> dict[str, Any]:
    """A route's ``responses`` entry for an error answered in ``model``'s JSON, not problem+json;
    ``codes`` are the values its ``error`` member takes."""
    words = f"{description}. Codes: {', '.join(sorted(codes))}."
    return {"model": model, "description": words, OWN_ERROR_SHAPE: True}


def install_contract(app: FastAPI) -> None:
    """Make ``app.openapi()`` answer the document with every route's problems stated."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            state_problems(document, list(api_routes(app)))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def api_routes(app: FastAPI) -> Iterator[RouteContext]:
    """The routes the document describes."""
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute) and context.include_in_schema:
            yield context


def route_problems(context: RouteContext) -> Problems:
    """Every (status → codes) the route can answer, other than a server error."""
    found: Problems = {}
    route: APIRoute = context.original_route  # type: ignore[assignment]
    calls: list[Callable[..., Any]] = [route.endpoint]
    for dependency in _dependencies(context.dependant):
        if isinstance(dependency, Access):
            for status, code in _access_problems(dependency):
                found.setdefault(status, set()).add(code)
        else:
            calls.append(_callable_of(dependency))
    for call in calls:
        for raised in problems_of(call):
            found.setdefault(raised.status, set()).add(raised.code)
    dependant: Dependant = context.dependant
    if _has_inputs(dependant):
        found.setdefault(422, set()).add("validation_error")
    # A body the route reads itself (a form, stated in ``openapi_extra``) is refused as any body is
    # (kit.inputs): 400 when unreadable, 422 when it holds a NUL.
    read_by_hand = "requestBody" in (route.openapi_extra or {})
    if route.body_field is not None or read_by_hand:
        found.setdefault(400, set()).add("malformed_body")
    if read_by_hand:
        found.setdefault(422, set()).add("validation_error")
    return {status: codes for status, codes in found.items() if status >= 400 and status != 500}


def _callable_of(dependency: Any) -> Any:
    """What runs when FastAPI calls ``dependency``: an object (``kit.httpsig.SignedCall(…)``) is
    read through its class's ``__call__``, so that the errors it raises are documented too."""
    if isinstance(dependency, (FunctionType, MethodType, type)) or not callable(dependency):
        return dependency
    return type(dependency).__call__


def requires_idempotency_key(context: RouteContext) -> bool:
    return idempotency_key in _dependencies(context.dependant)


def _access_problems(access: Access) -> list[tuple[int, str]]:
    """What the declared audience can refuse, read from ``Access`` itself (so a check added there,
    such as the channel a token was issued for, is documented on every route it guards)."""
    if access.public:  # a stale or missing token never stops anyone from a public route
        return []
    found = problems_of(type(access).__call__) | problems_of(type(access)._partner)
    if not access.scopes:  # no partner token gets far enough to lack a scope
        found -= {Raised(403, InsufficientScope.code)}
        if access.any_user or not (access.roles or access.devices):  # no role (nor device) to lack
            found -= {Raised(403, Forbidden.code)}
    return sorted((raised.status, raised.code) for raised in found)


def _dependencies(dependant: Dependant) -> list[Any]:
    found: list[Any] = []
    for sub in dependant.dependencies:
        if sub.call is not None:
            found.append(sub.call)
        found.extend(_dependencies(sub))
    return found


def _has_inputs(dependant: Dependant) -> bool:
    if dependant.path_params or dependant.query_params or dependant.header_params:
        return True
    if dependant.cookie_params or dependant.body_params:
        return True
    return any(_has_inputs(sub) for sub in dependant.dependencies)


def state_problems(document: dict[str, Any], routes: list[RouteContext]) -> None:
    """Rewrite ``document`` in place: the Problem schema, every route's problems, the key's header."""
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name in DEFAULT_SHAPES:
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for context in routes:
        for method in sorted(context.methods or ()):
            operation = document["paths"][context.path_format][method.lower()]
            _state_operation(operation, route_problems(context), requires_idempotency_key(context))


def _state_operation(operation: dict[str, Any], problems: Problems, key_required: bool) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    default = responses.get("422", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if default.get("$ref", "").endswith("/HTTPValidationError"):
        del responses["422"]
    for status, codes in sorted(problems.items()):
        declared = responses.get(str(status), {})
        if declared.get(OWN_ERROR_SHAPE):
            declared["content"][PROBLEM_JSON] = {"schema": {"$ref": PROBLEM_REF}}
            declared["description"] += f" As problem+json: {', '.join(sorted(codes))}."
            continue
        # A route may declare a richer problem (a card decline's fields): keep its schema.
        schema = next(
            (media["schema"] for media in declared.get("content", {}).values() if "schema" in media),
            {"$ref": PROBLEM_REF},
        )
        words = declared.get("description") or HTTPStatus(status).phrase
        responses[str(status)] = {
            "description": f"{words}. Codes: {', '.join(sorted(codes))}.",
            "content": {PROBLEM_JSON: {"schema": schema}},
        }
    for parameter in operation.get("parameters", []):
        if parameter.get("in") == "header" and parameter.get("name") == HEADER:
            parameter["required"] = key_required
            if key_required:  # never null once required
                parameter["schema"] = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}
            parameter["description"] = (
                "Required: a retry with the same key and body gets the first answer; the same key"
                " with another body is refused (422 idempotency_key_reused)."
                if key_required
                else "Optional: when sent, a retry with the same key and body gets the first answer"
                " and creates nothing more; the same key with another body is refused (422)."
            )
