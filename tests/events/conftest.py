"""Events under test: outbox rows written as requests write them, subscribers that record what they
applied, and a JetStream stream of the test's own on the real NATS server."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.events.consumers import Event, Registry, Subscription
from finlife.events.jetstream import StreamSettings, connect
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent, publish
from tests.conftest import IN_CI

NATS_URL = os.environ.get("FINLIFE_TEST_NATS_URL", "nats://127.0.0.1:4222")


def write_events(db: Database, count: int, *, event_type: str = "test.happened") -> list[str]:
    """``count`` committed events, one per unit of work; their public ids in id order."""
    for n in range(count):
        with db.unit_of_work() as session:
            publish(session, event_type, {"n": n}, channel="web")
    with db.unit_of_work() as session:
        stmt = select(OutboxEvent.public_id).where(OutboxEvent.type == event_type).order_by(OutboxEvent.id)
        return list(session.execute(stmt).scalars())


def unpublished(db: Database) -> int:
    with db.unit_of_work() as session:
        stmt = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.published_at.is_(None))
        return int(session.execute(stmt).scalar_one())


@dataclass
class Recorder:
    """A consumer's handler: the ids of the events it applied, in the order it applied them."""

    applied: list[str] = field(default_factory=list)
    fail_on: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, session: Session, event: Event) -> None:
        session.execute(select(1))  # runs in the consumer's transaction, as a real effect would
        if event.id in self.fail_on:
            raise RuntimeError(f"consumer refuses {event.id}")
        with self.lock:
            self.applied.append(event.id)


@pytest.fixture
def subscribers() -> Registry:
    return Registry()


def subscribe_recorder(subscribers: Registry, name: str, pattern: str = "*") -> tuple[Subscription, Recorder]:
    recorder = Recorder()
    return subscribers.subscribe(pattern, recorder, name=name), recorder


def _nats_answers() -> bool:
    host, port = NATS_URL.removeprefix("nats://").rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def stream() -> Iterator[StreamSettings]:
    """A stream and subject prefix of this test's own (runs on one server cannot collide), removed after."""
    if not _nats_answers():
        message = f"NATS JetStream is not answering at {NATS_URL} (start nats-server -js)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip("SKIPPED LOUDLY: " + message)
    tag = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"
    settings = StreamSettings(url=NATS_URL, stream=f"FLTEST_{tag}", subject_prefix=f"fltest.{tag}")
    yield settings

    async def remove() -> None:
        nc, js = await connect(settings)
        await js.delete_stream(settings.stream)
        await nc.close()

    asyncio.run(remove())
