"""The embedded stream: without NATS the relay delivers the outbox to this process's subscribers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from finlife import schema
from finlife.events.consumers import Registry, apply_once
from finlife.events.models import ProcessedEvent
from finlife.events.relay import EmbeddedSink, Relay, RelayBusy, SingleRelayLock
from finlife.kit.db import Database
from tests.events.conftest import subscribe_recorder, unpublished, write_events


def _processed(db: Database, consumer: str) -> int:
    with db.unit_of_work() as session:
        stmt = select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.consumer == consumer)
        return int(session.execute(stmt).scalar_one())


def test_committed_events_reach_every_subscriber_in_order_and_are_marked(db, subscribers: Registry) -> None:  # type: ignore[no-untyped-def]
    ids = write_events(db, 7)
    _, everything = subscribe_recorder(subscribers, "audit.copy")
    relay = Relay(db, EmbeddedSink(db, subscribers), batch_size=3)
    assert relay.drain() == 7
    assert everything.applied == ids
    assert unpublished(db) == 0
    assert _processed(db, "audit.copy") == 7
    assert relay.drain() == 0  # nothing is delivered twice
    assert everything.applied == ids


def test_a_subscriber_gets_only_the_types_it_names(db, subscribers: Registry) -> None:  # type: ignore[no-untyped-def]
    payments = write_events(db, 2, event_type="payment.approved")
    write_events(db, 1, event_type="customer.created")
    declined = write_events(db, 1, event_type="payment.declined")
    _, exact = subscribe_recorder(subscribers, "exact", "payment.approved")
    _, prefix = subscribe_recorder(subscribers, "prefix", "payment.")
    Relay(db, EmbeddedSink(db, subscribers)).drain()
    assert exact.applied == payments
    assert prefix.applied == [*payments, *declined]


def test_a_failing_subscriber_holds_the_stream_at_its_event_and_nobody_applies_twice(
    db, subscribers: Registry
) -> None:  # type: ignore[no-untyped-def]
    ids = write_events(db, 4)
    _, steady = subscribe_recorder(subscribers, "steady")
    _, flaky = subscribe_recorder(subscribers, "flaky")
    flaky.fail_on = {ids[2]}
    relay = Relay(db, EmbeddedSink(db, subscribers))
    assert relay.run_once() == (2, False)  # the first two delivered and marked; the third waits
    assert unpublished(db) == 2
    assert steady.applied == ids[:3]  # steady had applied the third before flaky refused it
    assert flaky.applied == ids[:2]
    flaky.fail_on = set()
    assert relay.run_once() == (2, True)
    assert steady.applied == ids  # the third came again; steady skipped it by its processed row
    assert flaky.applied == ids
    assert unpublished(db) == 0


def test_a_consumer_that_fails_leaves_no_processed_row_and_applies_on_the_next_delivery(
    db, subscribers: Registry
) -> None:  # type: ignore[no-untyped-def]
    write_events(db, 1)
    subscription, recorder = subscribe_recorder(subscribers, "once")
    with db.unit_of_work() as session:
        [event] = Relay(db, EmbeddedSink(db, subscribers))._claim(session)
    recorder.fail_on = {event.id}
    with pytest.raises(RuntimeError):
        apply_once(db, subscription, event)
    assert _processed(db, "once") == 0  # rolled back with the failed effect
    recorder.fail_on = set()
    assert apply_once(db, subscription, event) is True
    assert apply_once(db, subscription, event) is False
    assert recorder.applied == [event.id]


def test_on_sqlite_a_second_relay_waits_for_the_first(tmp_path: Path, subscribers: Registry) -> None:
    url = f"sqlite:///{tmp_path / 'relayed.db'}"  # SQLite whichever backend the suite runs on
    schema.upgrade(url)
    db = Database(url)
    try:
        write_events(db, 1)
        holder = SingleRelayLock(db)
        assert holder.acquire()
        try:
            with pytest.raises(RelayBusy):
                Relay(db, EmbeddedSink(db, subscribers)).drain()
            assert unpublished(db) == 1
        finally:
            holder.release()
        assert Relay(db, EmbeddedSink(db, subscribers)).drain() == 1
    finally:
        db.dispose()
