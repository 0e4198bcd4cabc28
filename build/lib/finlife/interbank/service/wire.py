"""The ISO 8583 client: one request, one answer, over a routing table of endpoints with fallback.

An endpoint that refuses the connection is marked down for a while and the next one is tried, as
payment orchestrators' routing tables do; nothing was sent, so trying elsewhere is safe. Once a
request has been sent, silence is not a refusal: the caller must reverse it, never resend it
elsewhere (the issuer may have applied it).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence

from finlife.kit import iso8583
from finlife.kit.iso8583 import Message

DOWN_FOR_SECONDS = 5.0
REVERSAL_ATTEMPTS = 5
_down_until: dict[str, float] = {}  # endpoint → monotonic time it may be tried first again
_lock = threading.Lock()


class NoRoute(Exception):
    """No endpoint accepted the connection: nothing was sent."""


class NoAnswer(Exception):
    """The request was sent but no answer came in time: it must be reversed."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(endpoint)
        self.endpoint = endpoint


def routing_order(endpoints: Sequence[str]) -> list[str]:
    """Endpoints that are up in their configured order, then the ones marked down (a last resort)."""
    now = time.monotonic()
    with _lock:
        down = {e for e in endpoints if _down_until.get(e, 0.0) > now}
    return [e for e in endpoints if e not in down] + [e for e in endpoints if e in down]


def _mark(endpoint: str, *, down: bool) -> None:
    with _lock:
        if down:
            _down_until[endpoint] = time.monotonic() + DOWN_FOR_SECONDS
        else:
            _down_until.pop(endpoint, None)


def _connect(endpoint: str, timeout: float) -> socket.socket:
    host, _, port = endpoint.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def exchange(endpoints: Sequence[str], message: Message, timeout: float) -> tuple[Message, str]:
    """Send ``message`` on the first endpoint that takes it; its answer and the endpoint used."""
    deadline = time.monotonic() + timeout
    for endpoint in routing_order(endpoints):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            sock = _connect(endpoint, remaining)
        except OSError:
            _mark(endpoint, down=True)
            continue
        _mark(endpoint, down=False)
        with sock:
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock.sendall(iso8583.encode(message))
                while True:
                    answer = iso8583.read_message(sock)
                    if answer.get("37") == message.get("37"):
                        return answer, endpoint
            except (OSError, iso8583.FrameError) as exc:  # timeouts are OSErrors
                raise NoAnswer(endpoint) from exc
    raise NoRoute()


def reverse(endpoints: Sequence[str], reversal: Message, timeout: float) -> bool:
    """Send a 0400 until a 0410 acknowledges it (a few attempts, backing off); False if none did."""
    for attempt in range(REVERSAL_ATTEMPTS):
        try:
            answer, _ = exchange(endpoints, reversal, timeout)
        except (NoRoute, NoAnswer):
            time.sleep(min(0.05 * 2**attempt, 1.0))
            continue
        if answer.get("t") == iso8583.RESPONSE_OF[iso8583.REVERSAL]:
            return True
    return False
