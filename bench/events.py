"""Benchmark: the event stream on PostgreSQL and NATS JetStream, end to end and the relay alone.

    make bench-events     (or: .venv/bin/python bench/events.py --rate 1000 --seconds 10 --backlog 50000)

(a) **Commit to a partner's receiver.** Producer threads commit outbox events through the outbox
API (``finlife.kit.outbox.publish``, one event per transaction, as a request writes one) at a
target rate; ``finlife relay`` (its own process) publishes them to JetStream; a deliverer process
(a plain JetStream consumer POSTing each event's JSON: a stand-in, NOT finlife's webhooks module)
feeds a receiver process standing in for a partner's endpoint, which records arrival times
(``bench/events_partner.py``). Reports committed/s, delivered/s, and the commit-to-delivery latency
(from the producer's commit returning to the receiver reading the POST): p50, p99, max of the events
after a warm-up (``--warmup``, 2 s), and p99, max of all of them -- the first events meet a relay
idle until then, whose polls are up to FINLIFE_RELAY_IDLE_MAX_SECONDS (1 s) apart. Also the CPU time
per event of each process. Goal: p99 < 1 s at 1,000 events/s.

(c) ``--part webhooks``: the same, through finlife's real webhooks module instead of the stand-in
deliverer (``bench/events_webhooks.py`` says how, and what it checks).

(b) **The relay alone.** A backlog of committed events, then one relay (``make_relay``, the
settings' batch size) publishes it all to JetStream. Reports events/s. Goal: >= 5,000 events/s.

Checks, and exits 1 on any failure: (a) every event reached the receiver, none twice (event ids and
the producers' sequence numbers), each producer's events in the order it committed them (one
relay: the order promised), the stream holds each event once; (b) the relay published every
event, the stream holds exactly them in outbox id order, nothing is left unpublished.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).parent))
from events_partner import Partner, delete_stream, wait_until
from finlife import schema
from finlife.events.jetstream import MSG_ID, StreamSettings, connect
from finlife.events.runner import make_relay
from finlife.kit.db import Database
from finlife.kit.outbox import OutboxEvent, publish
from finlife.settings import Settings
from transfers import ROOT, bench_parser, cpu_seconds, drop_database, fresh_database

DATABASE = "finlife_bench_events"
EventMaker = Callable[[int, int], tuple[str, dict[str, Any]]]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else 0.0


def produce(
    db: Database, producers: int, rate: float, seconds: float, event: EventMaker | None = None
) -> dict[tuple[int, int], float]:
    """Commit ``rate * seconds`` events from ``producers`` threads, each on a schedule of its own
    (``event(producer, seq)`` makes each one's type and payload); answer when each committed
    (producer, sequence number) -> time.time() after the commit."""
    event = event or (lambda k, seq: (f"bench.p{k}", {"producer": k, "seq": seq}))
    committed: dict[tuple[int, int], float] = {}
    total = int(rate * seconds)
    start = time.monotonic() + 0.1

    def producer(k: int) -> None:
        for seq, n in enumerate(range(k, total, producers)):
            delay = start + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)  # the schedule: a late producer catches up without pausing
            with db.unit_of_work() as session:
                publish(session, *event(k, seq), channel="api")
            committed[(k, seq)] = time.time()

    threads = [threading.Thread(target=producer, args=(k,)) for k in range(producers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return committed


def unpublished(db: Database) -> int:
    with db.unit_of_work() as session:
        stmt = select(func.count()).select_from(OutboxEvent).where(OutboxEvent.published_at.is_(None))
        return int(session.execute(stmt).scalar_one())


def outbox_ids(db: Database) -> list[str]:
    with db.unit_of_work() as session:
        return list(session.execute(select(OutboxEvent.public_id).order_by(OutboxEvent.id)).scalars())


async def stream_contents(stream: StreamSettings) -> tuple[int, list[str]]:
    """(messages the stream holds, their Nats-Msg-Id in stream order), read by an ordered consumer."""
    nc, js = await connect(stream)
    try:
        count = (await js.stream_info(stream.stream)).state.messages
        ids: list[str] = []
        subscription = await js.subscribe(f"{stream.subject_prefix}.>", ordered_consumer=True)
        while len(ids) < count:
            message = await subscription.next_msg(timeout=10)
            ids.append((message.headers or {}).get(MSG_ID, ""))
        await subscription.unsubscribe()
        return count, ids
    finally:
        await nc.close()


def profiled(name: str) -> list[str]:
    """With ``BENCH_PROFILE=<dir>``, the command prefix running a process under cProfile (its
    profile written to ``<dir>/<name>.prof`` when it stops); else nothing."""
    folder = os.environ.get("BENCH_PROFILE")
    return [sys.executable, "-m", "cProfile", "-o", f"{folder}/{name}.prof"] if folder else []


def start_relay(url: str, stream: StreamSettings) -> subprocess.Popen[str]:
    """``finlife relay``, returned once it says it relays (its imports done): the events committed
    from then on meet a relay that is up and idle, as in service."""
    env = {
        **os.environ,
        "FINLIFE_DATABASE_URL": url,
        "FINLIFE_NATS_URL": stream.url,
        "FINLIFE_NATS_STREAM": stream.stream,
        "FINLIFE_NATS_SUBJECT_PREFIX": stream.subject_prefix,
    }
    command = [*profiled("relay"), str(Path(sys.executable).parent / "finlife"), "relay"]
    relay = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert relay.stdout is not None
    if "relaying the outbox" not in relay.stdout.readline():
        raise SystemExit("finlife relay did not start")
    return relay


def end_to_end(
    url: str, stream: StreamSettings, args: argparse.Namespace, problems: list[str]
) -> dict[str, Any]:
    db = Database(url)
    partner = Partner(stream)
    relay = start_relay(url, stream)
    processes: dict[str, subprocess.Popen[Any]] = {
        "relay": relay,
        "deliverer": partner.deliverer,
        "receiver": partner.receiver,
    }
    try:
        began, cpu_before = time.time(), time.process_time()
        cpu_start = {name: cpu_seconds(p.pid) or 0.0 for name, p in processes.items()}
        committed = produce(db, args.producers, args.rate, args.warmup + args.seconds)
        produced_in, producers_cpu = time.time() - began, time.process_time() - cpu_before
        total = len(committed)
        wait_until("every event at the receiver", lambda: partner.count() >= total, 60)
        cpu = {name: (cpu_seconds(p.pid) or 0.0) - cpu_start[name] for name, p in processes.items()}
        cpu["producers"] = producers_cpu
        time.sleep(1.0)  # a repeat, were there one, would arrive now (and fail the checks below)
        arrivals = partner.arrivals()
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            process.wait(60)
    check_arrivals(db, arrivals, total, args.producers, problems)
    stored, _ = asyncio.run(stream_contents(stream))
    if stored != total:
        problems.append(f"the stream holds {stored} messages for {total} events")
    db.dispose()
    # Latency from each commit to its arrival; "measured" leaves out the warm-up, in which the relay,
    # idle until then, pauses up to FINLIFE_RELAY_IDLE_MAX_SECONDS between polls.
    latencies = {(r["payload"]["producer"], r["payload"]["seq"]): r["at"] for r in arrivals}
    measured_from = began + args.warmup
    every = [latencies[key] - at for key, at in committed.items() if key in latencies]
    measured = [
        latencies[key] - at for key, at in committed.items() if key in latencies and at >= measured_from
    ]
    last = max(latencies.values(), default=measured_from)
    return {
        "events": total,
        "committed_per_s": round(total / produced_in),
        "delivered_per_s": round(len(measured) / (last - measured_from)),
        "latency_ms_p50_p99_max": [
            ms(percentile(measured, 50)),
            ms(percentile(measured, 99)),
            ms(max(measured)),
        ],
        "with_warmup_ms_p99_max": [ms(percentile(every, 99)), ms(max(every))],
        "cpu_ms_per_event": {name: round(1000 * used / total, 3) for name, used in cpu.items()},
    }


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def check_arrivals(
    db: Database, arrivals: list[dict[str, Any]], total: int, producers: int, problems: list[str]
) -> None:
    """Every committed event arrived once; each producer's in the order it committed them."""
    last_seq = dict.fromkeys(range(producers), -1)
    for record in arrivals:
        producer, seq = record["payload"]["producer"], record["payload"]["seq"]
        if seq <= last_seq[producer]:
            problems.append(f"producer {producer}: event {seq} arrived after {last_seq[producer]}")
        last_seq[producer] = seq
    ids = [record["id"] for record in arrivals]
    if len(arrivals) != total or len(set(ids)) != total:
        problems.append(f"{total} events committed, {len(arrivals)} POSTs received, {len(set(ids))} distinct")
    if sorted(ids) != sorted(outbox_ids(db)):
        problems.append("the events received are not the events committed")


def relay_alone(
    url: str, stream: StreamSettings, backlog: int, batch_size: int, problems: list[str]
) -> dict[str, Any]:
    db = Database(url)
    with db.engine.begin() as conn:
        # The table as autovacuum leaves it in service (analyzed once); the backlog below is not. A
        # table never analyzed makes PostgreSQL sort the whole backlog at each claim instead of
        # reading the partial index in order.
        conn.execute(text("ANALYZE outbox_events"))
    began = time.monotonic()
    for start in range(0, backlog, 1000):
        with db.unit_of_work() as session:
            for n in range(start, min(start + 1000, backlog)):
                publish(session, "bench.backlog", {"n": n}, channel="api")
    committed_in = time.monotonic() - began
    settings = Settings(
        database_url=url,
        nats_url=stream.url,
        nats_stream=stream.stream,
        nats_subject_prefix=stream.subject_prefix,
        relay_batch_size=batch_size,
    )
    relay = make_relay(settings, db)
    began = time.monotonic()
    try:
        published = relay.drain()
    finally:
        relay.sink.close()
    elapsed = time.monotonic() - began
    if published != backlog or unpublished(db):
        problems.append(f"the relay published {published} of {backlog}; {unpublished(db)} left")
    stored, stored_ids = asyncio.run(stream_contents(stream))
    expected = outbox_ids(db)[-backlog:]
    if stored != backlog or stored_ids != expected:
        problems.append(f"the stream holds {stored} messages, not the {backlog} events in outbox order")
    db.dispose()
    return {
        "events": backlog,
        "batch_size": batch_size,
        "backlog_committed_in_s": round(committed_in, 1),
        "relay_seconds": round(elapsed, 2),
        "relay_events_per_s": round(published / elapsed),
    }


def main() -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--nats", default=os.environ.get("FINLIFE_NATS_URL", "nats://127.0.0.1:4222"))
    parser.add_argument("--rate", type=float, default=1000.0, help="events committed per second in (a)")
    parser.add_argument("--seconds", type=float, default=10.0, help="measured, after the warm-up")
    parser.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of events before the measured ones"
    )
    parser.add_argument("--producers", type=int, default=8)
    parser.add_argument("--backlog", type=int, default=50_000)
    parser.add_argument("--batch-size", type=int, default=Settings().relay_batch_size)
    parser.add_argument("--drain-seconds", type=float, default=120.0, help="wait for deliveries")
    parser.add_argument("--part", choices=["both", "end-to-end", "relay", "webhooks"], default="both")
    args = parser.parse_args()
    url = fresh_database(args.postgres, DATABASE)
    schema.upgrade(url)
    tag = os.getpid()
    streams = [
        StreamSettings(url=args.nats, stream=f"FLBENCH_{part}_{tag}", subject_prefix=f"flbench.{part}.{tag}")
        for part in "ab"
    ]
    problems: list[str] = []
    results: dict[str, object] = {}
    try:
        if args.part == "webhooks":  # the real webhooks module: bench/events_webhooks.py
            from events_webhooks import through_webhooks

            results["webhooks"] = through_webhooks(url, streams[0], args, problems)
            print(json.dumps({"webhooks": results["webhooks"]}), flush=True)
        elif args.part != "relay":
            results["end_to_end"] = end_to_end(url, streams[0], args, problems)
            print(json.dumps({"end_to_end": results["end_to_end"]}), flush=True)
        if args.part in ("both", "relay"):
            results["relay_alone"] = relay_alone(url, streams[1], args.backlog, args.batch_size, problems)
            print(json.dumps({"relay_alone": results["relay_alone"]}), flush=True)
    finally:
        for stream in streams:
            try:
                asyncio.run(delete_stream(stream))
            except Exception as exc:  # a stream never created
                print(f"stream {stream.stream}: {exc}", file=sys.stderr)
        drop_database(args.postgres, DATABASE)
    results["problems"] = problems
    out = ROOT / "bench" / "results" / f"events-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(json.dumps({"problems": problems}), "->", out.relative_to(ROOT))
    for problem in problems:
        print("FAILED:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
