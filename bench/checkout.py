"""Benchmark: QR checkouts through the HTTP API on PostgreSQL, against pgbench's TPC-B in the same run.

    make bench-checkout   (or: .venv/bin/python bench/checkout.py --seconds 20 --clients 32)

Seeds a fresh database with a restaurant merchant (stores, a terminal and a cashier per store, goods)
and funded customers signed up in the app, serves finlife with uvicorn, and drives many keep-alive
clients for a fixed time through the whole checkout, each step with its own Idempotency-Key where the
API takes one:

    cashier   POST /v1/orders               one or two dishes at the client's store and terminal
    cashier   GET  /v1/orders/{id}/qr       the order's dynamic EMV QR payload
    customer  POST /v1/qr/payments          pays it from their Class I account

A checkout counts when the payment answers 201. Then pgbench's ``tpcb-like`` runs with the same client
count on the same server. Prints checkouts/s, p50/p99 of the whole checkout, the ratio to pgbench's TPS,
the CPU each process spent per checkout (finlife's workers, of which their event loops; the bench
database's PostgreSQL backends; this load generator) and how busy the machine was (on a shared
machine the rates move with the others' load, the CPU per checkout much less), and checks the trial
balance is zero (exit 1 if not). ``--profile PREFIX`` records each worker with py-spy during the
measured phase. Results go to bench/results/.

The customers' daily limit on dynamic codes (PBoC level C, 1,000 CNY by default) would refuse most
payments after a few seconds, so the server runs with FINLIFE_QR_DYNAMIC_DAILY_LIMIT raised.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from faker import Faker

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.demo.common import DEMO_PASSWORD, seeding_settings
from finlife.demo.goods import RESTAURANT
from finlife.demo.merchants import Shop, open_shop
from finlife.demo.world import seed_funded_people
from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from loadgen import Result, json_body
from transfers import (
    ROOT,
    backend_cpu_seconds,
    bench_arguments,
    cpu_seconds,
    event_loop_cpu_seconds,
    free_port,
    fresh_database,
    machine_busy,
    pgbench_tps,
    start_profilers,
    start_server,
)

QR_DAILY_LIMIT = 10**12  # fen: no customer reaches it during a run
SECRET = "bench-secret-key-0123456789abcdef0123456789"


@dataclass(frozen=True)
class Payer:
    token: str
    account_id: str


@dataclass(frozen=True)
class Counter:
    token: str
    store_id: str
    terminal_id: str


def seed(url: str, *, customers: int, stores: int) -> tuple[Shop, list[tuple[str, str]]]:
    """The merchant and (username, account id) of each funded customer with an app login."""
    settings = seeding_settings(
        Settings(database_url=url, secret_key=SECRET, admin_password="bench-admin-pass")
    )
    database = Database(url)
    rng = random.Random(11)
    faker = Faker("zh_CN")
    faker.seed_instance(11)
    try:
        shop = open_shop(database, settings, rng, faker, 0, Actor.system(), trade=RESTAURANT, stores=stores)
    finally:
        clock.reset()
    people = seed_funded_people(database, settings, count=customers, balance=100_000_000, login=True)
    with database.unit_of_work() as session:
        identity.ensure_admin(session, settings)
    database.dispose()
    return shop, [(p.username or "", p.class_i) for p in people]


def sign_in(base: str, username: str, password: str, channel: str = "web") -> str:
    """A token bound to ``channel`` (requests then repeat it in X-Channel or leave it out)."""
    form = {"grant_type": "password", "username": username, "password": password}
    response = httpx.post(f"{base}/v1/auth/token", data=form, headers={"X-Channel": channel}, timeout=30)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


class Connection:
    """One keep-alive HTTP/1.1 connection that returns the answer's status and body (loadgen's clients
    only count answers; a checkout needs the order id and the QR payload from them)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        self.writer.write(head.encode() + body)
        status = int((await self.reader.readline()).split()[1])
        length = 0
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)


async def _checkout_client(
    client: int,
    port: int,
    counter: Counter,
    payers: list[Payer],
    variations: list[str],
    stop_at: float,
    result: Result,
    steps: dict[str, dict[int, int]],
    run_id: str,
    seq: list[int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    conn = Connection(reader, writer)
    rng = random.Random(f"{run_id}-{client}")
    seller = {
        "Authorization": f"Bearer {counter.token}",
        "X-Channel": "pos",
        "Content-Type": "application/json",
    }
    try:
        while time.perf_counter() < stop_at:
            seq[0] += 1
            key = f"{run_id}-{seq[0]}"
            lines = [{"variation_id": v, "quantity": 1} for v in rng.sample(variations, rng.randint(1, 2))]
            order = {"store_id": counter.store_id, "terminal_id": counter.terminal_id, "lines": lines}
            started = time.perf_counter()
            status, body = await conn.request(
                "POST", "/v1/orders", {**seller, "Idempotency-Key": f"{key}-order"}, json_body(order)
            )
            steps["order"][status] = steps["order"].get(status, 0) + 1
            if status != 201:
                continue
            order_id = json.loads(body)["id"]
            status, body = await conn.request("GET", f"/v1/orders/{order_id}/qr", seller)
            steps["qr"][status] = steps["qr"].get(status, 0) + 1
            if status != 200:
                continue
            payer = rng.choice(payers)
            customer = {
                "Authorization": f"Bearer {payer.token}",
                "X-Channel": "mobile",
                "Content-Type": "application/json",
                "Idempotency-Key": f"{key}-pay",
            }
            payment = {"payload": json.loads(body)["payload"], "account_id": payer.account_id}
            status, _ = await conn.request("POST", "/v1/qr/payments", customer, json_body(payment))
            steps["pay"][status] = steps["pay"].get(status, 0) + 1
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == 201:
                result.latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def drive(
    port: int,
    counters: list[Counter],
    payers: list[Payer],
    variations: list[str],
    clients: int,
    seconds: float,
    run_id: str,
) -> tuple[Result, dict[str, dict[int, int]]]:
    result = Result()
    steps: dict[str, dict[int, int]] = {"order": {}, "qr": {}, "pay": {}}
    seq = [0]
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _checkout_client(
                i,
                port,
                counters[i % len(counters)],
                payers,
                variations,
                started + seconds,
                result,
                steps,
                run_id,
                seq,
            )
            for i in range(clients)
        )
    )
    result.elapsed = time.perf_counter() - started
    return result, steps


def _cpu(server: int, database: str) -> dict[str, float]:
    """CPU seconds so far of finlife (its workers; of which the event loops), the bench database's
    PostgreSQL backends, this load generator, and the machine's busy and total time."""
    busy, total = machine_busy()
    return {
        "finlife": cpu_seconds(server) or 0.0,
        "finlife_event_loops": event_loop_cpu_seconds(server),
        "postgres": sum(backend_cpu_seconds(database).values()),
        "load_generator": time.process_time(),
        "machine_busy": busy / os.sysconf("SC_CLK_TCK"),
        "machine_total": total / os.sysconf("SC_CLK_TCK"),
    }


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--stores", type=int, default=3)
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument(
        "--database",
        default="finlife_bench_checkout",
        help="the bench database's name (dropped and created afresh): another one for a second bench at once",
    )
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record each worker with py-spy during the measured phase (PREFIX-<pid>.txt, collapsed stacks)",
    )
    args = parser.parse_args()

    url = fresh_database(args.postgres, args.database)
    schema.upgrade(url)
    print(f"seeding a merchant with {args.stores} stores and {args.customers} funded customers …", flush=True)
    shop, people = seed(url, customers=args.customers, stores=args.stores)

    port = free_port()
    env = {
        "FINLIFE_SECRET_KEY": SECRET,
        "FINLIFE_ADMIN_PASSWORD": "bench-admin-pass",
        "FINLIFE_QR_DYNAMIC_DAILY_LIMIT": str(QR_DAILY_LIMIT),
    }
    server = start_server(url, port, args.workers, env)
    try:
        base = f"http://127.0.0.1:{port}"
        print("signing in cashiers and customers …", flush=True)
        counters = [
            Counter(
                sign_in(base, till.cashier.username or "", DEMO_PASSWORD, "pos"),
                till.store_id,
                till.terminal_id,
            )
            for till in shop.tills
        ]
        payers = [
            Payer(sign_in(base, username, DEMO_PASSWORD, "mobile"), account) for username, account in people
        ]
        variations = [g.variation_id for g in shop.goods]
        run_id = f"{time.time_ns():x}"
        print("warming up …", flush=True)
        asyncio.run(drive(port, counters, payers, variations, args.clients, 3, f"{run_id}-warm"))
        profilers = start_profilers(server.pid, args.profile, args.seconds) if args.profile else []
        print(f"driving checkouts: {args.clients} clients × {args.seconds}s …", flush=True)
        cpu_before = _cpu(server.pid, args.database)
        result, steps = asyncio.run(
            drive(port, counters, payers, variations, args.clients, args.seconds, run_id)
        )
        cpu_after = _cpu(server.pid, args.database)
        cpu_used = {part: cpu_after[part] - cpu_before[part] for part in cpu_before}
        for profiler in profilers:
            profiler.wait(timeout=60)
        admin = sign_in(base, "admin", "bench-admin-pass", "branch")
        trial = httpx.get(
            f"{base}/v1/ledger/trial-balance",
            headers={"Authorization": f"Bearer {admin}", "X-Channel": "branch"},
            timeout=60,
        ).json()
    finally:
        server.terminate()
        server.wait(timeout=30)

    completed = result.statuses.get(201, 0)
    checkouts_per_s = completed / result.elapsed
    print(f"running pgbench tpcb-like: {args.clients} clients × {args.seconds}s …", flush=True)
    tps = pgbench_tps(args.postgres, args.clients, args.seconds, args.pgbench_scale)
    ratio = checkouts_per_s / tps if tps else 0.0
    report = {
        "checkouts_per_s": round(checkouts_per_s, 1),
        "requests_per_s": round(3 * checkouts_per_s, 1),
        "p50_ms": round(result.percentile(50) * 1000, 2),
        "p99_ms": round(result.percentile(99) * 1000, 2),
        # CPU per checkout (order, QR and payment) of each process taking part, and how busy the
        # whole machine was: on a shared machine the rates move with the others' load.
        **{
            f"cpu_ms_{part}": round(1000 * used / completed, 2) if completed else None
            for part, used in cpu_used.items()
            if not part.startswith("machine")
        },
        "machine_busy_pct": round(100 * cpu_used["machine_busy"] / cpu_used["machine_total"], 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "steps": steps,
        "pgbench_tps": round(tps, 1),
        "ratio": round(ratio, 3),
        "trial_balance_total": trial["total"],
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "stores": len(shop.tills),
        "customers": args.customers,
        "qr_dynamic_daily_limit": QR_DAILY_LIMIT,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"checkout-{run_id}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\ncheckouts/s {checkouts_per_s:.0f} · p50 {report['p50_ms']} ms · p99 {report['p99_ms']} ms · "
        f"pgbench {tps:.0f} TPS · ratio {ratio:.3f} · finlife CPU {report['cpu_ms_finlife']} ms/checkout · "
        f"trial balance {trial['total']}"
    )
    if trial["total"] != 0:
        raise SystemExit("trial balance is not zero")
    failed = {step: {k: v for k, v in codes.items() if k not in (200, 201)} for step, codes in steps.items()}
    if any(failed.values()):
        print(f"note: failed steps: {failed}")


if __name__ == "__main__":
    main()
