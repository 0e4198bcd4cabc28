"""At least once end to end, on the real NATS JetStream server: ``finlife relay`` killed with SIGKILL
between publish and mark (its fault-injection point, FINLIFE_RELAY_CRASH_AFTER_PUBLISH), restarted,
loses nothing; JetStream drops what it publishes again, and a deduplicating consumer applies every
event once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from finlife.events.consumers import Event, Registry, apply_once
from finlife.events.jetstream import JetStreamConsumer, StreamSettings, connect
from finlife.events.models import ProcessedEvent
from finlife.events.runner import CRASH_AFTER_PUBLISH
from finlife.kit.db import Database
from tests.events.conftest import subscribe_recorder, unpublished, write_events
from tests.events.test_jetstream import _stored

FINLIFE = Path(sys.executable).parent / "finlife"
BATCH = 100


def _env(database_url: str, stream: StreamSettings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "FINLIFE_DATABASE_URL": database_url,
        "FINLIFE_NATS_URL": stream.url,
        "FINLIFE_NATS_STREAM": stream.stream,
        "FINLIFE_NATS_SUBJECT_PREFIX": stream.subject_prefix,
        "FINLIFE_RELAY_BATCH_SIZE": str(BATCH),
        "FINLIFE_RELAY_IDLE_MAX_SECONDS": "0.1",
        **extra,
    }


def _stored_ids(stream: StreamSettings) -> list[str | None]:
    return [msg_id for _, msg_id, _ in asyncio.run(_stored(stream))]


def _processed(db: Database, consumer: str) -> int:
    with db.unit_of_work() as session:
        stmt = select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.consumer == consumer)
        return int(session.execute(stmt).scalar_one())


def test_finlife_relay_killed_between_publish_and_mark_then_restarted_loses_nothing_and_applies_nothing_twice(
    db, database_url: str, stream: StreamSettings, subscribers: Registry
) -> None:  # type: ignore[no-untyped-def]
    ids = write_events(db, 250)
    relay = [str(FINLIFE), "relay"]

    # The relay publishes batch 1 and marks it, publishes batch 2 and is killed before marking it.
    killed = subprocess.run(  # noqa: S603 (our own command)
        relay, env=_env(database_url, stream, **{CRASH_AFTER_PUBLISH: "2"}), capture_output=True, timeout=60
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert _stored_ids(stream) == ids[:200]  # both batches are in the stream...
    assert unpublished(db) == 150  # ...and the second is not marked

    restarted = subprocess.Popen(relay, env=_env(database_url, stream), stdout=subprocess.PIPE, text=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while unpublished(db) and time.monotonic() < deadline:
            time.sleep(0.05)  # polls the outbox; the assertions below decide
    finally:
        restarted.send_signal(signal.SIGTERM)
        out, _ = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, out
    assert "relaying the outbox through jetstream" in out
    assert unpublished(db) == 0
    # It published batch 2 again and then the rest: JetStream dropped the repeats by Nats-Msg-Id.
    assert _stored_ids(stream) == ids

    subscription, recorder = subscribe_recorder(subscribers, "test.killed_relay_copy")
    # This consumer had applied the first three and died before acknowledging them.
    for early in ids[:3]:
        assert apply_once(db, subscription, _event(early)) is True
    recorder.applied.clear()

    async def consume() -> tuple[int, int]:
        nc, js = await connect(stream)
        try:
            consumer = JetStreamConsumer(db, stream, subscription)
            await consumer.bind(js)
            applied = skipped = 0
            deadline = time.monotonic() + 60
            while applied + skipped < len(ids) and time.monotonic() < deadline:
                more = await consumer.poll(batch=BATCH, timeout=1.0)
                applied, skipped = applied + more[0], skipped + more[1]
            assert await consumer.poll(batch=BATCH, timeout=0.5) == (0, 0)  # everything acknowledged
            return applied, skipped
        finally:
            await nc.close()

    assert asyncio.run(consume()) == (247, 3)
    assert recorder.applied == ids[3:]  # each once, in order
    assert _processed(db, subscription.name) == 250


def _event(event_id: str) -> Event:
    return Event(id=event_id, type="test.happened", payload={}, channel="web", created_at=datetime.now(UTC))
