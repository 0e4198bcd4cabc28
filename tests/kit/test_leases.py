"""Leases (kit.leases): one holder at a time, taken over only once expired, renewed while held."""

from __future__ import annotations

import threading
import time
from datetime import datetime

import pytest

from finlife.kit import leases
from finlife.kit.db import Database


def test_a_lease_is_held_by_one_holder_until_it_expires_or_is_released(db: Database) -> None:
    assert leases.try_acquire(db, "work", "node-a", 30)
    assert not leases.try_acquire(db, "work", "node-b", 30)  # a's is still running
    assert leases.try_acquire(db, "work", "node-a", 30)  # a's own: taken again (renewed)
    assert leases.try_acquire(db, "other-work", "node-b", 30)  # another name is another lease

    leases.release(db, "work", "node-b")  # not b's: nothing happens
    assert leases.current(db, "work") is not None
    leases.release(db, "work", "node-a")
    assert leases.current(db, "work") is None
    assert leases.try_acquire(db, "work", "node-b", 30)


def test_an_expired_lease_is_taken_over_and_its_old_holder_cannot_renew_it(db: Database) -> None:
    assert leases.try_acquire(db, "work", "node-a", -1)  # expired at once: a died
    assert leases.try_acquire(db, "work", "node-b", 30)
    holder, _ = leases.current(db, "work") or ("", None)
    assert holder == "node-b"
    assert not leases.renew(db, "work", "node-a", 30)  # a wakes up: it is not a's any more
    assert leases.renew(db, "work", "node-b", 30)
    leases.release(db, "work", "node-a")
    assert leases.current(db, "work") is not None  # b's stays


def test_held_waits_for_the_other_holder_and_takes_over_when_its_lease_expires(db: Database) -> None:
    assert leases.try_acquire(db, "work", "node-a", 0.5)
    told: list[str] = []

    def waiting(holder: str, until: datetime) -> None:
        told.append(holder)

    with leases.held(db, "work", seconds=30, on_wait=waiting, poll=0.05) as lease:
        holder, _ = leases.current(db, "work") or ("", None)
        assert holder == lease.holder
        assert holder.split(":")[1].isdigit()  # host:pid:random
    assert told == ["node-a"]
    assert leases.current(db, "work") is None  # released at the end


def test_a_held_lease_is_renewed_while_the_work_runs_and_stops_the_work_once_taken_over(db: Database) -> None:
    with leases.held(db, "work", seconds=0.6) as lease:
        _, first = leases.current(db, "work") or ("", datetime.min)
        deadline = time.monotonic() + 30
        while (leases.current(db, "work") or ("", first))[1] <= first:  # the heartbeat renews it
            assert time.monotonic() < deadline, "never renewed"
            time.sleep(0.05)
        lease.check()  # still ours

        # Another node takes it over (as if ours had expired while this node was stopped).
        with db.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE leases SET holder = 'node-b'")
        while not lease.lost:
            assert time.monotonic() < deadline, "the loss was never noticed"
            time.sleep(0.05)
        with pytest.raises(leases.LeaseLost):
            lease.check()
    holder, _ = leases.current(db, "work") or ("", None)
    assert holder == "node-b"  # not released: it is b's


@pytest.mark.postgres_only
def test_of_many_nodes_taking_an_expired_lease_at_once_exactly_one_gets_it(db: Database) -> None:
    assert leases.try_acquire(db, "work", "dead-node", -1)
    start = threading.Barrier(8)
    won: list[str] = []

    def take(n: int) -> None:
        start.wait()
        if leases.try_acquire(db, "work", f"node-{n}", 30):
            won.append(f"node-{n}")

    threads = [threading.Thread(target=take, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert (leases.current(db, "work") or ("", None))[0] == won[0]
