"""Events exist only for committed work."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from finlife.kit.outbox import OutboxEvent, pending, publish


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        return int(session.execute(select(func.count()).select_from(OutboxEvent)).scalar_one())


def test_a_committed_unit_of_work_keeps_its_events(db) -> None:  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        publish(session, "test.happened", {"n": 1}, channel="web")
    with db.unit_of_work() as session:
        events = pending(session)
    assert [(e.type, e.payload, e.channel) for e in events] == [("test.happened", {"n": 1}, "web")]


def test_a_rolled_back_unit_of_work_publishes_nothing(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        publish(session, "test.happened", {"n": 1})
        session.flush()
        raise RuntimeError("the request failed after publishing")
    assert _count(db) == 0


def test_a_refused_request_publishes_nothing(client, db) -> None:  # type: ignore[no-untyped-def]
    body = {"phone": "13900000001", "password": "long-enough-1", "name": "张三"}
    assert client.post("/v1/signup", json=body, headers={"X-Channel": "mobile"}).status_code == 201
    before = _count(db)
    again = client.post("/v1/signup", json=body, headers={"X-Channel": "mobile"})
    assert again.status_code == 409
    assert _count(db) == before
