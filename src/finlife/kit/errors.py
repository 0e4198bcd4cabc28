"""One error base class with a stable code; one handler renders RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route

from finlife.kit.i18n import negotiate, translate

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://finlife.dev/problems/"


class FinlifeError(Exception):
    """A rule said no. ``code`` is stable and documented; the message comes from the catalogue."""

    code = "internal_error"
    status = 500

    def __init__(
        self,
        code: str | None = None,
        *,
        status: int | None = None,
        params: Mapping[str, Any] | None = None,
        field: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code or self.code
        self.status = status or self.status
        self.params = dict(params or {})
        self.field = field
        self.extra = dict(extra or {})
        super().__init__(f"{self.code}: {self.params}")

    def message(self, language: str) -> str:
        return translate(self.code, language, self.params)


class BadRequest(FinlifeError):
    status = 400


class Unauthenticated(FinlifeError):
    code = "unauthenticated"
    status = 401


class Forbidden(FinlifeError):
    code = "forbidden"
    status = 403


class NotFound(FinlifeError):
    code = "not_found"
    status = 404

    def __init__(self, what: str) -> None:
        super().__init__(params={"what": what})


class Conflict(FinlifeError):
    status = 409


class Locked(FinlifeError):
    status = 423


class RuleViolation(FinlifeError):
    """A well-formed request that a business rule refuses (422)."""

    status = 422


def problem(
    request: Request,
    *,
    status: int,
    code: str,
    detail: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    language = negotiate(request.headers.get("accept-language"))
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": translate(code, language) if code != "not_found" else detail,
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def _allowed_methods(request: Request) -> str:
    """Every method the path answers (RFC 9110 §15.5.6), read as OpenAPI reads paths: a concrete
    path (``/v1/orders/calculate``) before a templated one that also matches (``/v1/orders/{order_id}``).

    FastAPI has one route per method, and Starlette's 405 names only the first route that matched.
    """
    path = request.scope["path"]
    routes = [
        context.original_route
        for context in iter_route_contexts(request.app.routes)
        if isinstance(context.original_route, Route) and context.original_route.path_regex.match(path)
    ]
    fewest = min((len(route.param_convertors) for route in routes), default=0)
    methods = {m for route in routes if len(route.param_convertors) == fewest for m in route.methods or ()}
    return ", ".join(sorted(methods))


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(FinlifeError)
    async def _finlife(request: Request, exc: FinlifeError) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        extra = dict(exc.extra)
        if exc.field:
            extra["field"] = exc.field
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem(
            request,
            status=exc.status,
            code=exc.code,
            detail=exc.message(language),
            extra=extra,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        errors = [
            {
                "field": ".".join(
                    str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")
                ),
                "message": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        fields = ", ".join(e["field"] for e in errors if e["field"])
        detail = translate("validation_error", language) + (f": {fields}" if fields else "")
        return problem(request, status=422, code="validation_error", detail=detail, extra={"errors": errors})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        code = {404: "not_found", 401: "unauthenticated", 403: "forbidden"}.get(exc.status_code, "http_error")
        params = {"what": "page"} if code == "not_found" else {}
        detail = translate(code, language, params) if code != "http_error" else str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem(request, status=exc.status_code, code=code, detail=detail, headers=headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        return problem(
            request, status=500, code="internal_error", detail=translate("internal_error", language)
        )
