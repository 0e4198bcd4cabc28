"""Sending one round's claimed deliveries: signed, concurrently on a bounded pool, endpoint by endpoint.

A round's deliveries are grouped by endpoint (a ``Lane``). The endpoint's address is checked once
per round (``addresses.resolve``: the SSRF rule and the address connected to) and its secrets are
unsealed once. The first delivery of each endpoint goes alone (all endpoints' first ones side by
side), a probe of the endpoint's health: delivered, the endpoint's other deliveries then go together;
an answer that stops the endpoint -- a 410, or a failure past the days an endpoint may fail -- and
the round sends it nothing more, as the one-at-a-time worker did; any other failure (a 5xx, a
timeout, a refused connection), and the others are held, unattempted, until that first one's retry.
So a dead endpoint costs one request per retry, not one per delivery. Everything runs on a pool of
``concurrency`` threads, each keeping its connections alive (``transport``): a slow endpoint holds
at most a few threads for at most a request's timeout (``FINLIFE_WEBHOOKS_TIMEOUT_SECONDS``).
"""

from __future__ import annotations

import email.utils
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from finlife.kit.clock import clock
from finlife.partners.webhooks import addresses, signing
from finlife.partners.webhooks.transport import SendFailed, Transport

MAX_RETRY_AFTER_SECONDS = 86_400


@dataclass(frozen=True)
class Claim:
    delivery_pk: int
    endpoint_pk: int
    attempt: int  # the attempt count this claim set: the result is recorded only against it
    message_id: str
    body: str


@dataclass
class Lane:
    """One endpoint's share of a round."""

    endpoint_pk: int
    url: str
    secrets: tuple[str, ...]
    failing_since: datetime | None
    claims: list[Claim] = field(default_factory=list)
    target: addresses.Target | None = None  # checked at the round's first attempt
    refused: str | None = None  # or the rule that refused the address


@dataclass(frozen=True)
class Outcome:
    status_code: int | None = None
    error: str | None = None
    retry_after: int | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_after_seconds(header: str | None, now: datetime) -> int | None:
    """``Retry-After`` as seconds or an HTTP date (RFC 9110 §10.2.3); None when absent or unreadable."""
    if not header:
        return None
    value = header.strip()
    if value.isdigit():
        return min(int(value), MAX_RETRY_AFTER_SECONDS)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(0, int((when - now).total_seconds())), MAX_RETRY_AFTER_SECONDS)


@dataclass
class Round:
    sent: list[tuple[Claim, Outcome]] = field(default_factory=list)
    # Claims not sent because their endpoint's first delivery of the round failed: each with that
    # first claim, whose retry they wait for (unattempted: their attempt is given back).
    held: list[tuple[Claim, Claim]] = field(default_factory=list)


class Sender:
    def __init__(
        self, *, timeout: float, allow_private: bool, disable_after_seconds: int, concurrency: int
    ) -> None:
        self.transport = Transport(timeout=timeout)
        self.allow_private = allow_private
        self.disable_after = timedelta(seconds=disable_after_seconds)
        self.pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="finlife-webhook-send")

    def send_round(self, lanes: list[Lane]) -> Round:
        """Each lane's first delivery, then the rest of the lanes whose first was delivered."""
        firsts = [(lane, self.pool.submit(self._first, lane)) for lane in lanes]
        done = Round()
        rest: list[tuple[Claim, Future[Outcome]]] = []
        for lane, future in firsts:
            first, outcome = lane.claims[0], future.result()
            done.sent.append((first, outcome))
            if self._stops(lane, outcome):
                continue  # its other deliveries are cancelled with the endpoint when this is recorded
            if not outcome.delivered:
                done.held.extend((claim, first) for claim in lane.claims[1:])
                continue
            rest.extend((claim, self.pool.submit(self._send, lane, claim)) for claim in lane.claims[1:])
        done.sent.extend((claim, future.result()) for claim, future in rest)
        return done

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.transport.close()

    def _stops(self, lane: Lane, outcome: Outcome) -> bool:
        if outcome.delivered:
            return False
        if outcome.status_code == 410:
            return True
        return lane.failing_since is not None and clock.now() - lane.failing_since >= self.disable_after

    def _first(self, lane: Lane) -> Outcome:
        try:
            lane.target = addresses.resolve(lane.url, allow_private=self.allow_private)
        except addresses.UrlRefused as refused:
            lane.refused = refused.code
        return self._send(lane, lane.claims[0])

    def _send(self, lane: Lane, claim: Claim) -> Outcome:
        if lane.target is None:
            return Outcome(error=lane.refused)
        target = lane.target
        headers = signing.headers(claim.message_id, claim.body, lane.secrets)
        headers["host"] = target.host_header
        try:
            answer = self.transport.post(target, claim.body.encode(), headers)
        except SendFailed as failed:
            return Outcome(error="timeout" if failed.timeout else f"connection_failed: {failed.kind}")
        return Outcome(
            status_code=answer.status_code, retry_after=retry_after_seconds(answer.retry_after, clock.now())
        )
