"""Starting a relay from the settings: inside ``finlife serve`` (a thread beside each worker's
server, started and stopped with the app) or as ``finlife relay`` (the process's main thread)."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence

from finlife.events.consumers import Event, Registry, registry
from finlife.events.jetstream import JetStreamConsumer, JetStreamSink, StreamSettings, connect
from finlife.events.metrics import RelayMetrics
from finlife.events.relay import EmbeddedSink, Relay, Sink
from finlife.kit.db import Database
from finlife.settings import Settings

log = logging.getLogger(__name__)
STOP_SECONDS = 30.0


def stream_settings(settings: Settings) -> StreamSettings | None:
    if not settings.nats_url:
        return None
    return StreamSettings(
        url=settings.nats_url,
        stream=settings.nats_stream,
        subject_prefix=settings.nats_subject_prefix,
        duplicate_window_seconds=settings.nats_duplicate_window_seconds,
    )


def make_sink(settings: Settings, database: Database) -> Sink:
    stream = stream_settings(settings)
    return EmbeddedSink(database) if stream is None else JetStreamSink(stream)


def make_relay(settings: Settings, database: Database, metrics: RelayMetrics | None = None) -> Relay:
    return Relay(
        database,
        make_sink(settings, database),
        batch_size=settings.relay_batch_size,
        idle_max_seconds=settings.relay_idle_max_seconds,
        metrics=metrics,
    )


# Fault injection, for the at-least-once test alone (tests/events/test_killed_relay.py): with
# FINLIFE_RELAY_CRASH_AFTER_PUBLISH=N, ``finlife relay`` SIGKILLs itself once its sink has delivered
# its Nth batch and before that batch is marked -- the worst moment to die, made exact rather than
# hit by a timer. Read by ``finlife relay`` only (never by ``finlife serve``); not a setting.
CRASH_AFTER_PUBLISH = "FINLIFE_RELAY_CRASH_AFTER_PUBLISH"


def crash_after_publish(relay: Relay) -> None:
    """Arm the fault injection on ``relay`` when the environment asks for it."""
    batches = os.environ.get(CRASH_AFTER_PUBLISH)
    if batches:
        relay.after_delivery = _killed_after(int(batches))


def _killed_after(batches: int) -> Callable[[Sequence[Event]], None]:
    delivered = 0

    def after_delivery(_events: Sequence[Event]) -> None:
        nonlocal delivered
        delivered += 1
        if delivered >= batches:
            log.warning("%s=%d: killing this relay before it marks", CRASH_AFTER_PUBLISH, batches)
            os.kill(os.getpid(), signal.SIGKILL)

    return after_delivery


class RelayThread:
    """A relay in a daemon thread; ``stop`` ends its round in progress and joins it."""

    def __init__(self, relay: Relay) -> None:
        self.relay = relay
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="finlife-relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(STOP_SECONDS)
        if self._thread.is_alive():
            log.warning("the relay did not stop within %s s", STOP_SECONDS)

    def _run(self) -> None:
        try:
            self.relay.run(self._stop)
        finally:
            self.relay.sink.close()


class JetStreamSubscribers:
    """With NATS, this process's subscribers read the stream through durable pull consumers (one per
    subscriber, named after it): every node running one shares that consumer's messages. Without
    NATS the relay itself delivers to them (``EmbeddedSink``) and this does nothing."""

    POLL_SECONDS = 1.0
    BATCH = 500  # messages fetched at once for a consumer taking batches (``subscribe_batches``)
    ONE_BY_ONE_BATCH = 100

    def __init__(self, database: Database, stream: StreamSettings, subscribers: Registry = registry) -> None:
        self.database = database
        self.stream = stream
        self.subscribers = subscribers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="finlife-subscribers", daemon=True)

    def start(self) -> None:
        if self.subscribers.all():
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(STOP_SECONDS)

    def _run(self) -> None:
        asyncio.run(self._consume())

    async def _consume(self) -> None:
        while not self._stop.is_set():
            try:
                nc, js = await connect(self.stream)
            except Exception:
                log.exception("subscribers cannot reach NATS; trying again")
                await asyncio.sleep(self.POLL_SECONDS)
                continue
            try:
                consumers = [JetStreamConsumer(self.database, self.stream, s) for s in self.subscribers.all()]
                for consumer in consumers:
                    await consumer.bind(js)
                await asyncio.gather(*(self._poll(consumer) for consumer in consumers))
            except Exception:
                log.exception("a JetStream subscriber failed; binding again")
            finally:
                await nc.close()

    async def _poll(self, consumer: JetStreamConsumer) -> None:
        # A batch consumer's cost is mostly per transaction: behind, it takes up to 500 at once.
        batch = self.BATCH if consumer.subscription.batch_handler is not None else self.ONE_BY_ONE_BATCH
        while not self._stop.is_set():
            await consumer.poll(batch=batch, timeout=self.POLL_SECONDS)


class StreamThreads:
    """What ``finlife serve`` runs beside each worker: the relay, and with NATS the subscribers."""

    def __init__(self, settings: Settings, database: Database, metrics: RelayMetrics | None) -> None:
        self.relay = RelayThread(make_relay(settings, database, metrics))
        stream = stream_settings(settings)
        self.subscribers = None if stream is None else JetStreamSubscribers(database, stream)

    def start(self) -> None:
        self.relay.start()
        if self.subscribers is not None:
            self.subscribers.start()

    def stop(self) -> None:
        if self.subscribers is not None:
            self.subscribers.stop()
        self.relay.stop()
