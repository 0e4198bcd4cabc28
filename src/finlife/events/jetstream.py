"""NATS JetStream: the relay's sink when ``FINLIFE_NATS_URL`` is set, and durable pull consumers.

One stream (``FINLIFE_NATS_STREAM``, default ``FINLIFE``) holds the subjects
``<FINLIFE_NATS_SUBJECT_PREFIX>.<event type>`` (``finlife.events.payment.approved``): the event
type's dots become subject tokens, so a consumer filters ``finlife.events.payment.>``. Each message
carries the event id as ``Nats-Msg-Id``: JetStream drops a re-publish inside the stream's duplicate
window, and consumers drop any later one by the id in the body (``processed_events``).

nats-py is asyncio; the relay is a thread. The sink runs its own event loop in a daemon thread (so
the connection answers the server's pings while the relay is idle) and the relay waits on it.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, PubAck, StorageType, StreamConfig

from finlife.events.consumers import Event, Subscription, apply_batch_once, apply_once
from finlife.kit.db import Database

log = logging.getLogger(__name__)
T = TypeVar("T")
MSG_ID = "Nats-Msg-Id"


@dataclass(frozen=True, slots=True)
class StreamSettings:
    url: str
    stream: str = "FINLIFE"
    subject_prefix: str = "finlife.events"
    duplicate_window_seconds: int = 120
    ack_timeout_seconds: float = 10.0

    def subject(self, event_type: str) -> str:
        return f"{self.subject_prefix}.{event_type}"

    def filter_for(self, pattern: str) -> str:
        """The subject filter of a subscription pattern ("*", "payment.", "payment.approved")."""
        if pattern == "*":
            return f"{self.subject_prefix}.>"
        if pattern.endswith("."):
            return f"{self.subject_prefix}.{pattern}>"
        return self.subject(pattern)


async def connect(settings: StreamSettings) -> tuple[Client, JetStreamContext]:
    """Connect and make sure the stream exists with its subjects (creating it the first time)."""
    # A few reconnects, then the connection closes: the relay's round fails, and the next round
    # connects anew (a connection retrying for ever would hold the round, unseen, while NATS is away).
    nc = await nats.connect(
        settings.url, connect_timeout=5, max_reconnect_attempts=3, reconnect_time_wait=1, error_cb=_log_error
    )
    js = nc.jetstream(timeout=settings.ack_timeout_seconds)
    config = StreamConfig(
        name=settings.stream,
        subjects=[f"{settings.subject_prefix}.>"],
        storage=StorageType.FILE,
        duplicate_window=float(settings.duplicate_window_seconds),
    )
    await js.add_stream(config)  # answers the existing stream when its configuration is the same
    return nc, js


async def _log_error(error: Exception) -> None:
    log.warning("NATS: %s", error)


class JetStreamSink:
    """Publishes a batch in order, pipelined, and waits for every publish ack before the relay marks."""

    name = "jetstream"

    def __init__(self, settings: StreamSettings) -> None:
        self.settings = settings
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="finlife-nats", daemon=True)
        self._thread.start()
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None

    def deliver(self, events: Sequence[Event]) -> int:
        return self._run(self._publish(events), timeout=self.settings.ack_timeout_seconds * 2 + 10)

    def close(self) -> None:
        if self._nc is not None:
            try:
                self._run(self._nc.close(), timeout=10)
            except Exception:
                log.warning("closing the NATS connection failed", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _run(self, coroutine: Coroutine[Any, Any, T], *, timeout: float) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    async def _publish(self, events: Sequence[Event]) -> int:
        if self._nc is None or self._js is None or self._nc.is_closed:
            self._nc, self._js = await connect(self.settings)
        acks: list[asyncio.Future[PubAck]] = []
        try:
            for event in events:  # written in order on one connection: the stream keeps that order
                acks.append(
                    await self._js.publish_async(
                        self.settings.subject(event.type), event.to_json(), headers={MSG_ID: event.id}
                    )
                )
        except Exception:
            log.exception("publishing to JetStream failed after %d of %d events", len(acks), len(events))
        acked = 0
        for ack in acks:
            try:
                await asyncio.wait_for(ack, self.settings.ack_timeout_seconds)
            except Exception:
                log.exception("JetStream did not acknowledge an event; it will be published again")
                break
            acked += 1
        for ack in acks[acked:]:
            ack.cancel()
        return acked


def durable_name(consumer: str) -> str:
    """A JetStream consumer name from a finlife consumer name (dots and the like are not allowed)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", consumer)


class JetStreamConsumer:
    """A durable pull consumer applying each event once: the event is applied and recorded in
    ``processed_events`` in one transaction, then acknowledged. A process that dies between the two
    gets the message again (after ``ack_wait``) and skips it; a handler that fails naks it."""

    def __init__(
        self,
        database: Database,
        settings: StreamSettings,
        subscription: Subscription,
        *,
        ack_wait_seconds: float = 30.0,
    ) -> None:
        self.database = database
        self.settings = settings
        self.subscription = subscription
        self.ack_wait_seconds = ack_wait_seconds
        self._subscription: JetStreamContext.PullSubscription | None = None

    async def bind(self, js: JetStreamContext) -> None:
        config = ConsumerConfig(
            durable_name=durable_name(self.subscription.name),
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait_seconds,
            filter_subject=self.settings.filter_for(self.subscription.pattern),
        )
        self._subscription = await js.pull_subscribe(
            config.filter_subject or "",
            durable=config.durable_name,
            stream=self.settings.stream,
            config=config,
        )

    async def poll(self, *, batch: int = 100, timeout: float = 1.0) -> tuple[int, int]:
        """Fetch up to ``batch`` messages: (applied now, skipped as already applied); failed ones are
        counted in neither and come again."""
        assert self._subscription is not None, "bind() first"
        try:
            messages = await self._subscription.fetch(batch, timeout=timeout)
        except TimeoutError:  # nats.errors.TimeoutError, or asyncio's when nats-py's deadline ran out
            return 0, 0
        if self.subscription.batch_handler is not None:
            counted = await self._handle_batch(messages)
            if counted is not None:
                return counted
        applied = skipped = 0
        for message in messages:
            outcome = await self._handle(message)
            applied += outcome is True
            skipped += outcome is False
        return applied, skipped

    async def _handle_batch(self, messages: list[Msg]) -> tuple[int, int] | None:
        """The fetched messages in one transaction (``apply_batch_once``), then acked; None when the
        batch failed, and the caller takes them one by one (only a failing event is nakked)."""
        events = [Event.from_json(message.data) for message in messages]
        try:
            applied = await asyncio.to_thread(apply_batch_once, self.database, self.subscription, events)
        except Exception:
            log.exception("consumer %s failed on a batch; applying it event by event", self.subscription.name)
            return None
        for message in messages:
            await message.ack()
        return applied, len(messages) - applied

    async def _handle(self, message: Msg) -> bool | None:
        event = Event.from_json(message.data)
        try:
            applied = await asyncio.to_thread(apply_once, self.database, self.subscription, event)
        except Exception:
            log.exception("consumer %s failed on event %s", self.subscription.name, event.id)
            await message.nak(delay=1.0)
            return None
        await message.ack()
        return applied
