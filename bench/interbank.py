"""Benchmark: off-us card authorisations through the API, the other bank simulated on loopback.

    make bench-interbank   (or: .venv/bin/python bench/interbank.py --seconds 20 --clients 16)

Seeds a fresh PostgreSQL database with a restaurant merchant (stores, a terminal and a cashier per
store, goods), starts the bank simulator as its own process (``finlife bank-sim``) with one funded
card, serves finlife with uvicorn, registers the simulator in the bank directory, then drives many
keep-alive clients for a fixed time, each one round after another:

    cashier   POST /v1/orders                     one or two dishes
    cashier   POST /v1/orders/{id}/payments       the other bank's card (chip + PIN): ISO 8583 0200
                                                  to the simulator, booked on its clearing account

An authorisation counts when the payment answers 201; its latency is the payment request's alone.
The share of time in the simulator is its own handling time (from the request read to the answer
sent, summed by the simulator: ``GET /stats``) over the payment requests' summed latency; the share on
the wire adds what a bare 0200 round trip costs on loopback with a fresh connection each (as
finlife's client makes), probed directly after the run. The CPU of each process taking part (finlife,
its event loops, the simulator, the database's backends, this load generator) is reported per
authorisation, with how busy the machine was. Checks the trial balance is zero (exit 1 if not).
Results go to bench/results/.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from faker import Faker

sys.path.insert(0, str(Path(__file__).parent))
from checkout import Connection, sign_in
from finlife import schema
from finlife.demo.common import DEMO_PASSWORD, seeding_settings
from finlife.demo.goods import RESTAURANT
from finlife.demo.merchants import Shop, open_shop
from finlife.identity import service as identity
from finlife.kit import iso8583
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
    drop_database,
    event_loop_cpu_seconds,
    free_port,
    fresh_database,
    machine_busy,
    start_profilers,
    start_server,
)

SECRET = "bench-secret-key-0123456789abcdef0123456789"
ADMIN_PASSWORD = "bench-admin-pass"
BANK = "ZXB"
PAN, EXPIRY, PIN = "6228480000000018", "3012", "135790"


@dataclass(frozen=True)
class Counter:
    token: str
    store_id: str
    terminal_id: str


def seed(url: str, *, stores: int) -> Shop:
    settings = seeding_settings(Settings(database_url=url, secret_key=SECRET, admin_password=ADMIN_PASSWORD))
    database = Database(url)
    faker = Faker("zh_CN")
    faker.seed_instance(13)
    try:
        shop = open_shop(
            database, settings, random.Random(13), faker, 0, Actor.system(), trade=RESTAURANT, stores=stores
        )
    finally:
        clock.reset()
    with database.unit_of_work() as session:
        identity.ensure_admin(session, settings)
    database.dispose()
    return shop


def start_simulator(folder: Path) -> tuple[subprocess.Popen[bytes], int, str]:
    """``finlife bank-sim`` in its own process; its ISO 8583 port and HTTP base URL."""
    accounts = folder / "accounts.json"
    holder = {"account_number": "62280001001", "name": "王芳", "id_number": "11010519491231002X"}
    card = {"pan": PAN, "expiry": EXPIRY, "pin": PIN}
    accounts.write_text(json.dumps([{**holder, "balance": 10**15, "cards": [card]}]), encoding="utf-8")
    iso_port, http_port = free_port(), free_port()
    command = [sys.executable, "-m", "finlife.cli", "bank-sim", "--code", BANK]
    command += ["--iso8583-port", str(iso_port), "--http-port", str(http_port), "--accounts", str(accounts)]
    command += ["--settlement-dir", str(folder / "settlement")]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, iso_port, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the bank simulator did not start")


def register_bank(base: str, admin: str, iso_port: int, simulator: str) -> str:
    body = {
        "code": BANK,
        "name": "中信测试银行",
        "bins": [PAN[:6]],
        "iso8583_endpoints": [f"127.0.0.1:{iso_port}"],
        "iso20022_url": simulator,
        "timeout_ms": 5_000,
    }
    answer = httpx.post(
        f"{base}/v1/banks", json=body, headers={"Authorization": f"Bearer {admin}", "X-Channel": "branch"}
    )
    answer.raise_for_status()
    clearing: str = answer.json()["clearing_account_id"]
    return clearing


async def _client(
    client: int,
    port: int,
    counter: Counter,
    variations: list[str],
    stop_at: float,
    result: Result,
    spent: list[float],
    steps: dict[str, dict[int, int]],
    run_id: str,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    conn = Connection(reader, writer)
    rng = random.Random(f"{run_id}-{client}")
    seller = {
        "Authorization": f"Bearer {counter.token}",
        "X-Channel": "pos",
        "Content-Type": "application/json",
    }
    round_no = 0
    try:
        while time.perf_counter() < stop_at:
            round_no += 1
            key = f"{run_id}-{client}-{round_no}"
            lines = [{"variation_id": v, "quantity": 1} for v in rng.sample(variations, rng.randint(1, 2))]
            order = {"store_id": counter.store_id, "terminal_id": counter.terminal_id, "lines": lines}
            status, body = await conn.request(
                "POST", "/v1/orders", {**seller, "Idempotency-Key": f"{key}-order"}, json_body(order)
            )
            steps["order"][status] = steps["order"].get(status, 0) + 1
            if status != 201:
                continue
            placed = json.loads(body)
            tender = {
                "method": "card",
                "amount": placed["total"],
                "pan": PAN,
                "expiry": EXPIRY,
                "entry_mode": "chip",
                "pin": PIN,
            }
            started = time.perf_counter()
            status, _ = await conn.request(
                "POST",
                f"/v1/orders/{placed['id']}/payments",
                {**seller, "Idempotency-Key": f"{key}-pay"},
                json_body(tender),
            )
            took = time.perf_counter() - started
            spent[0] += took
            steps["pay"][status] = steps["pay"].get(status, 0) + 1
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == 201:
                result.latencies.append(took)
    finally:
        writer.close()


async def drive(
    port: int, counters: list[Counter], variations: list[str], clients: int, seconds: float, run_id: str
) -> tuple[Result, float, dict[str, dict[int, int]]]:
    result, spent = Result(), [0.0]
    steps: dict[str, dict[int, int]] = {"order": {}, "pay": {}}
    started = time.perf_counter()
    await asyncio.gather(
        *(
            _client(
                i,
                port,
                counters[i % len(counters)],
                variations,
                started + seconds,
                result,
                spent,
                steps,
                run_id,
            )
            for i in range(clients)
        )
    )
    result.elapsed = time.perf_counter() - started
    return result, spent[0], steps


def simulator_busy(simulator: str) -> tuple[int, float]:
    stats = httpx.get(f"{simulator}/stats", timeout=10).json()["iso8583"]
    return int(stats["requests"]), float(stats["busy_seconds"])


def probe_round_trip(iso_port: int, count: int = 300) -> float:
    """Median seconds of a bare 0200 on a fresh loopback connection, as finlife's client sends it."""
    took = []
    for n in range(count):
        message: iso8583.Message = {
            "t": iso8583.FINANCIAL,
            "2": PAN,
            "3": "000000",
            "4": f"{100:012d}",
            "7": "0101120000",
            "11": f"{n % 1_000_000:06d}",
            "14": EXPIRY,
            "22": "051",
            "37": f"P{time.time_ns() % 10**11:011d}",
            "41": "BENCH001",
            "42": "BENCHMERCHANT01",
            "49": iso8583.CNY_NUMERIC,
            "52": iso8583.pin_block(PIN, PAN),
        }
        started = time.perf_counter()
        with socket.create_connection(("127.0.0.1", iso_port), timeout=5) as sock:
            sock.sendall(iso8583.encode(message))
            iso8583.read_message(sock)
        took.append(time.perf_counter() - started)
    return statistics.median(took)


def _cpu(server: int, simulator: int, database: str) -> dict[str, float]:
    """CPU seconds so far of finlife (its workers; of which the event loops), the simulator, the
    bench database's PostgreSQL backends, this load generator, and the machine's busy share."""
    busy, total = machine_busy()
    return {
        "finlife": cpu_seconds(server) or 0.0,
        "finlife_event_loops": event_loop_cpu_seconds(server),
        "simulator": cpu_seconds(simulator) or 0.0,
        "postgres": sum(backend_cpu_seconds(database).values()),
        "load_generator": time.process_time(),
        "machine_busy": busy / os.sysconf("SC_CLK_TCK"),
        "machine_total": total / os.sysconf("SC_CLK_TCK"),
    }


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.set_defaults(clients=16)
    parser.add_argument("--stores", type=int, default=3)
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record each worker with py-spy during the measured phase (PREFIX-<pid>.txt, collapsed stacks)",
    )
    args = parser.parse_args()

    name = f"finlife_bench_interbank_{os.getpid()}"  # another run may share the server
    url = fresh_database(args.postgres, name)
    schema.upgrade(url)
    print(f"seeding a merchant with {args.stores} stores …", flush=True)
    shop = seed(url, stores=args.stores)
    folder = Path(tempfile.mkdtemp(prefix="finlife-bench-interbank-"))
    simulator_proc, iso_port, simulator = start_simulator(folder)
    port = free_port()
    try:
        server = start_server(
            url, port, args.workers, {"FINLIFE_SECRET_KEY": SECRET, "FINLIFE_ADMIN_PASSWORD": ADMIN_PASSWORD}
        )
    except BaseException:
        simulator_proc.terminate()
        raise
    try:
        base = f"http://127.0.0.1:{port}"
        admin = sign_in(base, "admin", ADMIN_PASSWORD, "branch")
        register_bank(base, admin, iso_port, simulator)
        counters = [
            Counter(
                sign_in(base, till.cashier.username or "", DEMO_PASSWORD, "pos"),
                till.store_id,
                till.terminal_id,
            )
            for till in shop.tills
        ]
        variations = [g.variation_id for g in shop.goods]
        run_id = f"{time.time_ns():x}"
        print("warming up …", flush=True)
        asyncio.run(drive(port, counters, variations, args.clients, 3, f"{run_id}-warm"))
        before = simulator_busy(simulator)
        profilers = start_profilers(server.pid, args.profile, args.seconds) if args.profile else []
        print(f"driving off-us card payments: {args.clients} clients × {args.seconds}s …", flush=True)
        cpu_before = _cpu(server.pid, simulator_proc.pid, name)
        result, spent, steps = asyncio.run(
            drive(port, counters, variations, args.clients, args.seconds, run_id)
        )
        cpu_used = {
            part: _cpu(server.pid, simulator_proc.pid, name)[part] - cpu_before[part] for part in cpu_before
        }
        after = simulator_busy(simulator)
        for profiler in profilers:
            profiler.wait(timeout=60)
        round_trip = probe_round_trip(iso_port)
        headers = {"Authorization": f"Bearer {admin}", "X-Channel": "branch"}
        trial = httpx.get(f"{base}/v1/ledger/trial-balance", headers=headers, timeout=60).json()
    finally:
        server.terminate()
        server.wait(timeout=30)
        simulator_proc.terminate()
        simulator_proc.wait(timeout=30)
        drop_database(args.postgres, name)

    approved = result.statuses.get(201, 0)
    requests_there = after[0] - before[0]
    in_simulator = (after[1] - before[1]) / spent if spent else 0.0
    on_wire = round_trip * requests_there / spent if spent else 0.0
    report = {
        "authorisations_per_s": round(approved / result.elapsed, 1),
        "p50_ms": round(result.percentile(50) * 1000, 2),
        "p99_ms": round(result.percentile(99) * 1000, 2),
        "share_in_simulator": round(in_simulator, 3),
        "share_on_wire_to_simulator": round(on_wire, 3),
        "loopback_0200_round_trip_ms": round(round_trip * 1000, 3),
        "simulator_requests": requests_there,
        # CPU per authorisation (a round: the order and its payment) of each process taking part, and
        # how busy the whole machine was: on a shared machine the rates move with the others' load.
        **{
            f"cpu_ms_{part}": round(1000 * used / approved, 2) if approved else None
            for part, used in cpu_used.items()
            if not part.startswith("machine")
        },
        "machine_busy_pct": round(100 * cpu_used["machine_busy"] / cpu_used["machine_total"], 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "steps": steps,
        "trial_balance_total": trial["total"],
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "stores": len(shop.tills),
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"interbank-{run_id}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\noff-us authorisations/s {report['authorisations_per_s']:.0f} · p50 {report['p50_ms']} ms · "
        f"p99 {report['p99_ms']} ms · in the simulator {100 * in_simulator:.1f} % "
        f"(with the loopback round trip {100 * on_wire:.1f} %) · trial balance {trial['total']}"
    )
    if trial["total"] != 0:
        raise SystemExit("trial balance is not zero")
    failed = {step: {k: v for k, v in codes.items() if k not in (200, 201)} for step, codes in steps.items()}
    if any(failed.values()):
        print(f"note: failed steps: {failed}")


if __name__ == "__main__":
    main()
