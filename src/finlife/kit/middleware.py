"""Per-request context: the channel a request claims, and Prometheus metrics by route and channel.

A pure ASGI middleware (no BaseHTTPMiddleware) so the hot path pays for one dict lookup and a timer.
The claimed channel (``X-Channel``) is only a claim: ``Access`` checks it against the credential and
sets the request's channel to the token's, and the metrics are labelled with that channel, read once
the request is done. A request without a credential is labelled as ``Access`` attributes it (a public
channel it names, else ``web``). A call made with a partner's token is handed, once answered, to the
recorder the app puts on ``app.state.partner_calls`` (the partner's call log).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finlife.kit.auth import Channel, PartnerGrant, anonymous_channel
from finlife.kit.clock import clock
from finlife.kit.i18n import negotiate, translate
from finlife.kit.problems import header_of, send_problem

_CHANNELS = {c.value: c for c in Channel}
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PartnerCall:
    """One API call a partner made with its token, as its call log keeps it (JR/T 0185)."""

    grant: PartnerGrant
    method: str
    route: str  # the route's template, e.g. /v1/accounts/{account_id}
    path: str
    status: int
    latency_ms: int
    at: datetime


# What the app keeps partners' calls with (``app.state.partner_calls``): the kit knows no partner.
PartnerCallRecorder = Callable[[PartnerCall], None]
# What counts each answered request for channel planning (``app.state.request_outcomes``): the channel,
# the status, the problem's code if one was answered, the seconds taken. Called on the request's path:
# it must only count in memory.
OutcomeRecorder = Callable[[str, int, str | None, float], None]
# Operators' endpoints are no channel's service.
_NOT_SERVICE = frozenset({"unmatched", "/metrics", "/healthz", "/readyz"})


class Metrics:
    """The Prometheus series finlife exports, on a registry of its own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status", "channel")
        self.requests = Counter(
            "finlife_http_requests_total", "HTTP requests handled", labels, registry=self.registry
        )
        self.latency = Histogram(
            "finlife_http_request_duration_seconds",
            "HTTP request latency",
            labels,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
            registry=self.registry,
        )
        # (method, route, status, channel) -> its two series: ``labels()`` takes a lock and checks
        # the label values on every call; the set of label tuples is small (route templates).
        self._series: dict[tuple[str, str, str, str], tuple[Any, Any]] = {}

    def observe(self, labels: tuple[str, str, str, str], started: float) -> None:
        """Count one request and its latency since ``started`` (a ``perf_counter`` reading)."""
        series = self._series.get(labels)
        if series is None:
            series = self._series[labels] = (self.requests.labels(*labels), self.latency.labels(*labels))
        series[0].inc()
        series[1].observe(time.perf_counter() - started)


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = header_of(scope, b"x-channel")
        claimed = _CHANNELS.get(raw.lower()) if raw else None
        if raw and claimed is None:
            await _reject_channel(scope, send, raw)
            return
        state = scope.setdefault("state", {})
        state["claimed_channel"] = claimed
        state["channel"] = anonymous_channel(claimed)  # until a credential binds it (kit.auth.Access)
        started = time.perf_counter()
        status = 500

        async def send_with_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            channel: Channel = state["channel"]
            self.metrics.observe((scope["method"], template, str(status), channel.value), started)
            outcomes: OutcomeRecorder | None = getattr(scope["app"].state, "request_outcomes", None)
            if outcomes is not None and template not in _NOT_SERVICE:
                outcomes(channel.value, status, state.get("problem_code"), time.perf_counter() - started)
        grant = state.get("grant")
        # A partner's API call (pages are a person browsing the partner console) is logged once the
        # answer has gone: the client does not wait for the row.
        if grant is not None and getattr(route, "include_in_schema", False):
            await _log_partner_call(scope, grant, template, status, started)


async def _log_partner_call(
    scope: Scope, grant: PartnerGrant, template: str, status: int, started: float
) -> None:
    recorder: PartnerCallRecorder | None = getattr(scope["app"].state, "partner_calls", None)
    if recorder is None:
        return
    latency_ms = round((time.perf_counter() - started) * 1000)
    call = PartnerCall(grant, scope["method"], template, scope["path"], status, latency_ms, clock.now())
    try:
        await run_in_threadpool(recorder, call)
    except Exception:  # the answer is sent: a lost log row must not turn into a server error
        logger.exception("partner call log: the row for %s %s was not written", call.method, call.path)


async def _reject_channel(scope: Scope, send: Send, raw: str) -> None:
    message = translate("invalid_channel", negotiate(header_of(scope, b"accept-language")), {"channel": raw})
    await send_problem(
        scope,
        send,
        status=400,
        code="invalid_channel",
        detail=message,
        title=message,
        extra={"field": "X-Channel"},
    )
