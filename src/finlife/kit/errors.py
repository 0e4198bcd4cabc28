"""One error base class with a stable code; one handler renders RFC 9457 problem+json."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, params
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
        self.headers: dict[str, str] = {}  # answer headers a condition needs (Retry-After)
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


class TooManyRequests(FinlifeError):
    """Come back later: answered 429 with ``Retry-After`` (seconds), also in the body."""

    status = 429

    def __init__(self, code: str, *, retry_after: int) -> None:
        retry_after = max(1, retry_after)
        super().__init__(code, params={"seconds": retry_after}, extra={"retry_after": retry_after})
        self.headers = {"Retry-After": str(retry_after)}


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
    title: str | None = None,
) -> JSONResponse:
    """The problem+json answer. ``title`` defaults to the code's words; a message with placeholders
    must be given filled (an error's ``message``), never shown with its ``{…}`` raw."""
    language = negotiate(request.headers.get("accept-language"))
    request.state.problem_code = code  # counted per channel with the request (kit.middleware)
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code,
        "title": title if title is not None else translate(code, language),
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


def _malformed(request: Request, language: str) -> JSONResponse:
    return problem(request, status=400, code="malformed_body", detail=translate("malformed_body", language))


def is_malformed_body(request: Request, errors: Sequence[Any]) -> bool:
    """A body that is not what the route reads: invalid JSON, or another content type than the
    route's (FastAPI then hands the raw bytes, or an empty form, to validation)."""
    if any(error.get("type") == "json_invalid" for error in errors):
        return True
    route = request.scope.get("route")
    body_field = getattr(route, "body_field", None)
    if body_field is None or request.headers.get("content-length", "0").lstrip("0") == "":
        return False  # no body expected, or none sent (a missing body is a validation error)
    wanted = "application/json"
    if isinstance(body_field.field_info, params.Form):  # File is a Form too
        wanted = getattr(body_field.field_info, "media_type", "application/x-www-form-urlencoded")
    return not _content_type_matches(request.headers.get("content-type", ""), wanted)


def _content_type_matches(content_type: str, wanted: str) -> bool:
    sent = content_type.split(";")[0].strip().lower()
    if wanted == "application/json":
        return sent == "application/json" or (sent.startswith("application/") and sent.endswith("+json"))
    # A form route reads both form encodings.
    return sent in ("application/x-www-form-urlencoded", "multipart/form-data")


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(FinlifeError)
    async def _finlife(request: Request, exc: FinlifeError) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        extra = dict(exc.extra)
        if exc.field:
            extra["field"] = exc.field
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
        headers.update(exc.headers)
        message = exc.message(language)  # the title too: its placeholders filled from the params
        return problem(
            request,
            status=exc.status,
            code=exc.code,
            detail=message,
            extra=extra,
            headers=headers,
            title=message,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        if is_malformed_body(request, exc.errors()):
            return _malformed(request, language)
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
        if exc.status_code == 400:  # FastAPI's only 400: a body it could not read (not UTF-8, …)
            return _malformed(request, language)
        code = {404: "not_found", 401: "unauthenticated", 403: "forbidden"}.get(exc.status_code, "http_error")
        params = {"what": "page"} if code == "not_found" else {}
        detail = translate(code, language, params) if code != "http_error" else str(exc.detail)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem(
            request, status=exc.status_code, code=code, detail=detail, title=detail, headers=headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        language = negotiate(request.headers.get("accept-language"))
        return problem(
            request, status=500, code="internal_error", detail=translate("internal_error", language)
        )
