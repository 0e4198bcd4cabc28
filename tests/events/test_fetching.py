"""How a consumer takes events: as soon as one is there, with the burst it came in (not waiting for a
full batch: the fan-out's latency rests on it), and recorded in ``processed_events`` once per
consumer, in the consumer's transaction (one statement of fixed text on PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.events.consumers import Event, Registry, record_processed
from finlife.events.jetstream import MSG_ID, JetStreamConsumer, StreamSettings, connect
from finlife.events.models import ProcessedEvent
from finlife.events.runner import JetStreamSubscribers
from finlife.kit.db import Database
from tests.events.conftest import subscribe_recorder
from tests.events.test_jetstream import _event


def test_a_fetch_answers_with_the_burst_that_came_without_waiting_for_a_full_batch(
    db: Database, stream: StreamSettings, subscribers: Registry
) -> None:
    subscription, recorder = subscribe_recorder(subscribers, "test.prompt")

    async def consume_a_burst() -> tuple[tuple[int, int], float, list[str]]:
        """(the first poll's count, how long it took after the publishing began, the ids)."""
        nc, js = await connect(stream)
        try:
            consumer = JetStreamConsumer(db, stream, subscription)
            await consumer.bind(js)
            polling = asyncio.ensure_future(consumer.poll(batch=100, timeout=20.0))
            await asyncio.sleep(0.3)  # the consumer is waiting, nothing in the stream yet
            ids = [f"evt_burst{n}" for n in range(5)]
            began = time.monotonic()
            acks = [  # a relay's round: published together, pipelined, as JetStreamSink does
                await js.publish_async(
                    stream.subject("test.happened"), _event(event_id).to_json(), headers={MSG_ID: event_id}
                )
                for event_id in ids
            ]
            await asyncio.gather(*acks)
            first = await polling
            waited = time.monotonic() - began
            applied = first[0]
            while applied < len(ids):  # on a busy machine the burst may straddle two polls
                applied += (await consumer.poll(batch=100, timeout=5.0))[0]
            return first, waited, ids
        finally:
            await nc.close()

    first, waited, ids = asyncio.run(consume_a_burst())
    # The first poll answered long before its timeout, with the burst (or, on a busy machine, the
    # part of it there when it asked): it did not wait for a batch of 100.
    assert first[0] >= 1
    assert waited < 5.0
    assert recorder.applied == ids


def test_a_batch_is_recorded_once_per_consumer_and_answers_only_the_events_new_to_it(db: Database) -> None:
    with db.unit_of_work() as session:
        assert record_processed(session, "test.first", ["evt_r1", "evt_r2"]) == {"evt_r1", "evt_r2"}
    with db.unit_of_work() as session:
        # one already processed, one new twice in the batch, and the same id for another consumer
        assert record_processed(session, "test.first", ["evt_r2", "evt_r3", "evt_r3"]) == {"evt_r3"}
        assert record_processed(session, "test.second", ["evt_r2"]) == {"evt_r2"}
    try:
        with db.unit_of_work() as session:
            assert record_processed(session, "test.first", ["evt_r4"]) == {"evt_r4"}
            raise RuntimeError("the consumer's transaction rolls back")
    except RuntimeError:
        pass
    with db.unit_of_work() as session:
        rows = session.execute(select(ProcessedEvent.consumer, ProcessedEvent.event_id)).all()
    assert sorted(rows) == [
        ("test.first", "evt_r1"),
        ("test.first", "evt_r2"),
        ("test.first", "evt_r3"),
        ("test.second", "evt_r2"),
    ]


def test_a_batch_consumer_behind_takes_up_to_500_events_in_one_transaction(
    db: Database, stream: StreamSettings, subscribers: Registry
) -> None:
    ids = [f"evt_behind{n:03d}" for n in range(300)]
    batches: list[int] = []

    def handle(session: Session, events: Sequence[Event]) -> None:
        batches.append(len(events))

    subscribers.subscribe_batches("*", handle, name="test.behind")

    async def publish_all() -> None:
        nc, js = await connect(stream)
        try:
            acks = [
                await js.publish_async(
                    stream.subject("test.happened"), _event(event_id).to_json(), headers={MSG_ID: event_id}
                )
                for event_id in ids
            ]
            await asyncio.gather(*acks)
        finally:
            await nc.close()

    asyncio.run(publish_all())  # 300 events wait before the consumer starts
    reading = JetStreamSubscribers(db, stream, subscribers)
    reading.start()
    try:
        deadline = time.monotonic() + 30
        while sum(batches) < len(ids) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        reading.stop()
    assert sum(batches) == len(ids)
    assert batches[0] > 100  # one fetch took more than the 100 of a one-by-one consumer
