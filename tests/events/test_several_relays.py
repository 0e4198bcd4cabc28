"""Several relays on one PostgreSQL database share the outbox (FOR UPDATE SKIP LOCKED): every event
is delivered, and none by two relays."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Sequence

import pytest

from finlife.events.consumers import Event, Registry
from finlife.events.jetstream import JetStreamSink, StreamSettings
from finlife.events.relay import EmbeddedSink, Relay, Sink
from finlife.kit.db import Database
from tests.events.conftest import subscribe_recorder, unpublished, write_events
from tests.events.test_jetstream import _stored

pytestmark = pytest.mark.postgres_only


class Tally:
    """A sink that counts what it passes on, per relay: the relays' share of the work."""

    def __init__(self, sink: Sink) -> None:
        self.sink = sink
        self.name = sink.name
        self.ids: list[str] = []

    def deliver(self, events: Sequence[Event]) -> int:
        time.sleep(0.002)  # widen the window in which the other relay claims (not deciding anything)
        delivered = self.sink.deliver(events)
        self.ids.extend(event.id for event in events[:delivered])
        return delivered

    def close(self) -> None:
        self.sink.close()


def _run_side_by_side(db: Database, sinks: list[Tally]) -> None:
    stop = threading.Event()
    relays = [Relay(db, sink, batch_size=10, idle_max_seconds=0.05) for sink in sinks]
    threads = [threading.Thread(target=relay.run, args=(stop,)) for relay in relays]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while unpublished(db) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join(30)


def test_two_relays_deliver_every_event_once_to_the_embedded_subscribers(db, subscribers: Registry) -> None:  # type: ignore[no-untyped-def]
    ids = write_events(db, 300)
    _, recorder = subscribe_recorder(subscribers, "test.two_relays")
    sinks = [Tally(EmbeddedSink(db, subscribers)) for _ in range(2)]
    _run_side_by_side(db, sinks)
    assert unpublished(db) == 0
    delivered = sinks[0].ids + sinks[1].ids
    assert sorted(delivered) == sorted(ids)  # each event by exactly one relay
    assert Counter(recorder.applied) == Counter(ids)


def test_two_relays_publish_every_event_once_to_jetstream(db, stream: StreamSettings) -> None:  # type: ignore[no-untyped-def]
    ids = write_events(db, 300)
    sinks = [Tally(JetStreamSink(stream)) for _ in range(2)]
    try:
        _run_side_by_side(db, sinks)
    finally:
        for sink in sinks:
            sink.close()
    assert unpublished(db) == 0
    assert sorted(sinks[0].ids + sinks[1].ids) == sorted(ids)
    stored = [event_id for _, _, event_id in asyncio.run(_stored(stream))]
    assert sorted(stored) == sorted(ids)
