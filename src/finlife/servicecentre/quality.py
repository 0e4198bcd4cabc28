"""Each channel's service quality: requests answered per hour, by outcome (ok, or the problem code)
and by latency bucket, so that an error rate per problem code and a p95 latency can be read per channel.

Prometheus already counts requests, but in each node's memory and without problem codes, and channel
planning needs hours and periods. The middleware hands every answered request to ``RequestOutcomes``
(``app.state.request_outcomes``): a dict increment under a lock, nothing more on the request's path.
Every ``FLUSH_SECONDS`` (and when the app stops) the counts go to ``channel_request_hours`` in one
unit of work of upserts, so several nodes add up. A node killed outright loses at most that many
seconds of counts: figures for planning, not the books.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect_left
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from finlife.kit.clock import clock
from finlife.kit.db import Database, increment_counters, table_of
from finlife.servicecentre.models import ChannelRequestHour

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 15.0
# Upper bounds of the latency buckets in ms; the last bucket ("inf") holds the rest.
LATENCY_BUCKETS_MS = (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000)
OK = "ok"
_table = table_of(ChannelRequestHour)
Key = tuple[int, str, str, str]  # (hours since the epoch, channel, metric, key): an int hashes fast


_BUCKET_KEYS = (*(str(bound) for bound in LATENCY_BUCKETS_MS), "inf")


def latency_bucket(ms: float) -> str:
    return _BUCKET_KEYS[bisect_left(LATENCY_BUCKETS_MS, ms)]


def outcome_key(status: int, problem_code: str | None) -> str:
    """ "ok" below 400; else the problem's code, or the bare status when no problem was answered."""
    if status < 400:
        return OK
    return problem_code or f"http_{status}"


class RequestOutcomes:
    """Counts answered requests in memory and adds them to the database now and then."""

    def __init__(self, database: Database, *, flush_seconds: float = FLUSH_SECONDS) -> None:
        self.database = database
        self.flush_seconds = flush_seconds
        self._counts: Counter[Key] = Counter()
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._last_flush = time.monotonic()
        # The hour being counted and when it ends: most requests compare one instant, no rounding.
        self._hour_starts = self._hour_ends = datetime.min.replace(tzinfo=UTC)
        self._hour = 0

    def _hour_of_now(self) -> int:
        now = clock.now()
        if not self._hour_starts <= now < self._hour_ends:
            self._hour_starts = now.replace(minute=0, second=0, microsecond=0)
            self._hour_ends = self._hour_starts + timedelta(hours=1)
            self._hour = int(self._hour_starts.timestamp()) // 3600
        return self._hour

    def __call__(self, channel: str, status: int, problem_code: str | None, seconds: float) -> None:
        hour = self._hour_of_now()
        with self._lock:
            self._counts[(hour, channel, "outcome", outcome_key(status, problem_code))] += 1
            self._counts[(hour, channel, "latency", latency_bucket(seconds * 1000))] += 1
            due = time.monotonic() - self._last_flush >= self.flush_seconds
        if due and not self._flushing.locked():
            threading.Thread(target=self.flush, name="request-outcomes", daemon=True).start()

    def flush(self) -> None:
        """Write what was counted since the last flush (one at a time; a failed write is kept)."""
        with self._flushing:
            with self._lock:
                taken, self._counts = self._counts, Counter()
                self._last_flush = time.monotonic()
            if not taken:
                return
            try:
                with self.database.unit_of_work() as session:
                    increment_counters(session, _table, column="requests", increments=_increments(taken))
            except Exception:  # the counts wait for the next flush; no request is failed for them
                logger.exception("request outcomes: %d counts kept for the next flush", len(taken))
                with self._lock:
                    self._counts.update(taken)


def _increments(counts: Counter[Key]) -> list[tuple[dict[str, Any], int]]:
    # Sorted: concurrent nodes lock the rows in one order and cannot deadlock.
    return [
        (
            {
                "hour": datetime.fromtimestamp(hour * 3600, UTC),
                "channel": channel,
                "metric": metric,
                "key": key,
            },
            n,
        )
        for (hour, channel, metric, key), n in sorted(counts.items())
    ]
