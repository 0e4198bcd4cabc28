"""The relay as it runs: cheap when idle, inside finlife serve's app, and measured in /metrics."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from fastapi.testclient import TestClient

from finlife.app import create_app
from finlife.events import consumers
from finlife.events.consumers import Registry
from finlife.events.relay import EmbeddedSink, Relay
from finlife.kit.clock import clock
from finlife.settings import Settings
from tests.events.conftest import Recorder, subscribe_recorder, unpublished, write_events
from tests.factories import metrics_headers


class CountedStop(threading.Event):
    """A stop event that records each pause the relay takes and stops it after ``rounds`` of them."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.pauses: list[float] = []
        self.rounds = rounds

    def wait(self, timeout: float | None = None) -> bool:
        self.pauses.append(timeout or 0.0)
        if len(self.pauses) >= self.rounds:
            self.set()
        return self.is_set()


def test_an_idle_relay_pauses_longer_each_round_up_to_its_limit(db, subscribers: Registry) -> None:  # type: ignore[no-untyped-def]
    stop = CountedStop(rounds=8)
    Relay(db, EmbeddedSink(db, subscribers), idle_max_seconds=1.0).run(stop)
    assert stop.pauses == [0.05, 0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0]


def test_work_brings_the_pause_back_to_its_shortest_and_full_batches_do_not_pause(
    db, subscribers: Registry
) -> None:  # type: ignore[no-untyped-def]
    _, recorder = subscribe_recorder(subscribers, "watcher")
    ids = write_events(db, 5)

    class StopAfterIdle(CountedStop):
        def wait(self, timeout: float | None = None) -> bool:
            if len(self.pauses) == 3:  # idle a while, then new events are committed
                write_events(db, 1)
            return super().wait(timeout)

    stop = StopAfterIdle(rounds=6)
    Relay(db, EmbeddedSink(db, subscribers), batch_size=2, idle_max_seconds=1.0).run(stop)
    # 5 events in batches of 2: two full batches without a pause, then 1 (drained: shortest pause),
    # idle (0.1, 0.2, 0.4: the event comes during that pause), the new event (shortest again), idle.
    assert stop.pauses == [0.05, 0.1, 0.2, 0.4, 0.05, 0.1]
    assert len(recorder.applied) == 6 and recorder.applied[:5] == ids


def test_finlife_serve_runs_a_relay_in_its_lifespan_and_stops_it(settings: Settings, db) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    consumers.subscribe("test.", recorder, name="test.lifespan")
    try:
        app = create_app(settings.model_copy(update={"relay_in_server": True, "relay_idle_max_seconds": 0.1}))
        with TestClient(app) as client:
            ids = write_events(db, 3)
            deadline = time.monotonic() + 10
            while unpublished(db) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert recorder.applied == ids
            assert client.get("/healthz").status_code == 200
            metrics = client.get("/metrics", headers=metrics_headers()).text
            assert 'finlife_relay_published_total{sink="embedded"} 3.0' in metrics
        assert not any(t.name == "finlife-relay" for t in threading.enumerate())
    finally:
        consumers.registry.unsubscribe("test.lifespan")


def test_the_lag_is_the_age_of_the_oldest_unpublished_event(client, db, subscribers: Registry) -> None:  # type: ignore[no-untyped-def]
    assert "finlife_relay_lag_seconds 0.0" in client.get("/metrics", headers=metrics_headers()).text
    write_events(db, 2)
    clock.advance(timedelta(seconds=90))
    lag = _gauge(client.get("/metrics", headers=metrics_headers()).text, "finlife_relay_lag_seconds")
    assert 90 <= lag < 100
    Relay(db, EmbeddedSink(db, subscribers)).drain()
    assert "finlife_relay_lag_seconds 0.0" in client.get("/metrics", headers=metrics_headers()).text


def _gauge(text: str, name: str) -> float:
    [line] = [line for line in text.splitlines() if line.startswith(name + " ")]
    return float(line.split()[1])
