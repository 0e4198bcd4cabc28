"""Starting a relay from the settings: inside ``finlife serve`` (a thread beside each worker's
server, started and stopped with the app) or as ``finlife relay`` (the process's main thread)."""

from __future__ import annotations

import logging
import threading

from finlife.events.jetstream import JetStreamSink, StreamSettings
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
