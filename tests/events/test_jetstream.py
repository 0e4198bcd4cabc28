"""The stream on the real NATS JetStream server: subjects per type, the event id as Nats-Msg-Id, a
repeat dropped by JetStream or by the consumer, and the relay inside ``finlife serve``. A relay
process killed between publish and mark: ``test_killed_relay.py``."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from nats.errors import NoServersError
from sqlalchemy import update

from finlife.app import create_app
from finlife.events import consumers
from finlife.events.consumers import Event, Registry
from finlife.events.jetstream import MSG_ID, JetStreamConsumer, JetStreamSink, StreamSettings, connect
from finlife.events.relay import Relay
from finlife.kit.outbox import OutboxEvent
from finlife.settings import Settings
from tests.events.conftest import Recorder, subscribe_recorder, unpublished, write_events
from tests.factories import metrics_headers


async def _stored(stream: StreamSettings) -> list[tuple[str, str | None, str]]:
    """(subject, Nats-Msg-Id, event id in the body) of every message in the stream, in stream order."""
    nc, js = await connect(stream)
    try:
        count = (await js.stream_info(stream.stream)).state.messages
        messages = [await js.get_msg(stream.stream, seq) for seq in range(1, count + 1)]
        return [
            (m.subject or "", (m.headers or {}).get(MSG_ID), Event.from_json(m.data or b"").id)
            for m in messages
        ]
    finally:
        await nc.close()


def test_each_event_goes_to_its_types_subject_with_its_id_and_a_republish_is_dropped(
    db, stream: StreamSettings
) -> None:  # type: ignore[no-untyped-def]
    paid = write_events(db, 2, event_type="payment.approved")
    joined = write_events(db, 1, event_type="customer.created")
    sink = JetStreamSink(stream)
    try:
        assert Relay(db, sink).drain() == 3
        assert unpublished(db) == 0
        expected = [
            (f"{stream.subject_prefix}.payment.approved", paid[0], paid[0]),
            (f"{stream.subject_prefix}.payment.approved", paid[1], paid[1]),
            (f"{stream.subject_prefix}.customer.created", joined[0], joined[0]),
        ]
        assert asyncio.run(_stored(stream)) == expected
        # The same events again (a relay that died before its mark): acknowledged, not stored twice.
        with db.unit_of_work() as session:
            session.execute(update(OutboxEvent).values(published_at=None))
        assert Relay(db, sink).drain() == 3
        assert asyncio.run(_stored(stream)) == expected
    finally:
        sink.close()


def test_a_consumer_drops_a_repeat_that_jetstream_let_through(
    db, stream: StreamSettings, subscribers: Registry
) -> None:  # type: ignore[no-untyped-def]
    [event_id] = write_events(db, 1)
    subscription, recorder = subscribe_recorder(subscribers, "test.late_repeat")
    sink = JetStreamSink(stream)
    try:
        assert Relay(db, sink).drain() == 1
    finally:
        sink.close()

    async def repeat_and_consume() -> tuple[int, int]:
        nc, js = await connect(stream)
        try:
            # Past the duplicate window JetStream stores a re-publish: a new Nats-Msg-Id stands for it.
            again = _event(event_id).to_json()
            await js.publish(stream.subject("test.happened"), again, headers={MSG_ID: event_id + "-late"})
            consumer = JetStreamConsumer(db, stream, subscription)
            await consumer.bind(js)
            first = await consumer.poll(batch=10, timeout=2.0)
            second = await consumer.poll(batch=10, timeout=0.5)
            return first[0] + second[0], first[1] + second[1]
        finally:
            await nc.close()

    assert asyncio.run(repeat_and_consume()) == (1, 1)
    assert recorder.applied == [event_id]


def _event(event_id: str) -> Event:
    return Event(id=event_id, type="test.happened", payload={}, channel="web", created_at=datetime.now(UTC))


def test_with_nats_finlife_serve_relays_to_jetstream_and_its_subscribers_read_from_there(
    settings: Settings, db, stream: StreamSettings
) -> None:  # type: ignore[no-untyped-def]
    recorder = Recorder()
    consumers.subscribe("test.", recorder, name="test.serve_with_nats")
    nats = {
        "relay_in_server": True,
        "relay_idle_max_seconds": 0.1,
        "nats_url": stream.url,
        "nats_stream": stream.stream,
        "nats_subject_prefix": stream.subject_prefix,
    }
    try:
        with TestClient(create_app(settings.model_copy(update=nats))) as client:
            ids = write_events(db, 4)
            deadline = time.monotonic() + 15
            while len(recorder.applied) < len(ids) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert recorder.applied == ids
            # A subscriber may apply an event before the relay marks it published (the mark comes
            # after JetStream acknowledges): wait for the mark rather than race it.
            while unpublished(db) and time.monotonic() < deadline:
                time.sleep(0.02)
            assert unpublished(db) == 0
            assert (
                'finlife_relay_published_total{sink="jetstream"} 4.0'
                in client.get("/metrics", headers=metrics_headers()).text
            )
        assert [stored_id for _, stored_id, _ in asyncio.run(_stored(stream))] == ids
        alive = {t.name for t in threading.enumerate()}
        assert not alive & {"finlife-relay", "finlife-subscribers", "finlife-nats"}
    finally:
        consumers.registry.unsubscribe("test.serve_with_nats")


def test_while_nats_is_away_the_relay_marks_nothing(db) -> None:  # type: ignore[no-untyped-def]
    write_events(db, 2)
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = JetStreamSink(StreamSettings(url=f"nats://127.0.0.1:{port}"))
    try:
        with pytest.raises(NoServersError):
            Relay(db, sink).run_once()
    finally:
        sink.close()
    assert unpublished(db) == 2
