"""Benchmark: POST /v1/transfers on PostgreSQL against pgbench's TPC-B on the same server, same run.

    make bench        (or: .venv/bin/python bench/transfers.py --seconds 20 --clients 32)

Seeds a fresh database with funded Class I accounts, serves finlife with uvicorn, drives transfers
between random accounts with many keep-alive clients for a fixed time, then runs pgbench's built-in
``tpcb-like`` script with the same client count. Prints transfers/s, p50/p99 latency and the ratio to
pgbench's TPS, and checks that the trial balance is still zero. Results go to bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.demo.world import seed_funded_accounts
from finlife.identity import service as identity
from finlife.kit.db import Database, normalise_url
from finlife.settings import Settings
from loadgen import json_body, run

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def _server(base_url: str) -> Iterator[Connection]:
    """A connection to the benchmark's PostgreSQL server itself (no transaction), for its catalogue."""
    admin = create_engine(make_url(normalise_url(base_url)), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            yield conn
    finally:
        admin.dispose()


def fresh_database(base_url: str, name: str) -> str:
    with _server(base_url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(normalise_url(base_url)).set(database=name).render_as_string(hide_password=False)


def drop_database(base_url: str, name: str) -> None:
    with _server(base_url) as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def commits(base_url: str, name: str) -> int:
    """Transactions committed so far in one database (PostgreSQL's statistics, flushed about once a
    second by each backend): transfers per commit is the group commit's batch size."""
    with _server(base_url) as conn:
        count = conn.execute(
            text("SELECT xact_commit FROM pg_stat_database WHERE datname = :name"), {"name": name}
        ).scalar_one()
    return int(count)


def cpu_seconds(root_pid: int) -> float | None:
    """CPU time (user + system) used so far by a process and its children (Linux /proc), or None.

    On a machine shared with other jobs, throughput moves with their load; the server's CPU time
    per transfer moves far less, so it is the figure to compare two versions of the posting path.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent pid, seconds)
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        stats[int(entry.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    if root_pid not in stats:
        return None
    tree, total = {root_pid}, 0.0
    for pid, (parent, _) in sorted(stats.items()):  # children have higher pids than their parents
        if parent in tree:
            tree.add(pid)
    for pid in tree:
        total += stats[pid][1]
    return total


def event_loop_cpu_seconds(root_pid: int) -> float:
    """CPU time used so far by the main thread of a process and of each of its children: with
    uvicorn, the event loops (HTTP, FastAPI, the middleware); the rest of ``cpu_seconds`` is
    threads (the threadpool and the group commit's, where the units of work run)."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for task in Path("/proc").glob("[0-9]*/task/[0-9]*/stat"):
        pid = int(task.parent.parent.parent.name)
        if task.parent.name != str(pid) or (pid != root_pid and _parent(pid) != root_pid):
            continue  # not a main thread, or not finlife's
        try:
            fields = task.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def backend_cpu_seconds(database: str) -> dict[int, float]:
    """CPU time used so far by each PostgreSQL backend serving one database (same machine only)."""
    ticks, used = os.sysconf("SC_CLK_TCK"), {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            # A backend's title reads "postgres: 15/main: user database host(port) state". An
            # autovacuum worker names the database too: it is left out, like the checkpointer.
            title = cmdline.read_bytes().replace(b"\0", b" ") + b" "
            if f" {database} ".encode() not in title or b"autovacuum" in title:
                continue
            fields = (cmdline.parent / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        used[int(cmdline.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return used


def start_profilers(root_pid: int, prefix: str, seconds: int) -> list[subprocess.Popen[bytes]]:
    """py-spy on each worker for the measured phase (``pip install py-spy``; needs ptrace rights).

    Sampling takes CPU from a 2-core machine: compare profiles with each other, not these runs' rates.
    ``--gil`` counts the thread that last held the GIL, so a thread waiting in the database driver
    can be counted while the process is idle: split CPU between the event loops and the threads
    by ``event_loop_cpu_ms_per_transfer`` in the report, and read each side's profile within it.
    """
    workers = [int(p.name) for p in Path("/proc").glob("[0-9]*") if _parent(int(p.name)) == root_pid]
    return [
        subprocess.Popen(
            [
                _py_spy(),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(seconds),
                "--rate",
                "200",
                "--gil",
                "--format",
                "raw",
                "--output",
                f"{prefix}-{pid}.txt",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in workers or [root_pid]
    ]


def _py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"  # installed in the same virtualenv
    return str(beside) if beside.exists() else "py-spy"


def _parent(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far: how much of it other jobs also used."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(url: str, port: int, workers: int, env_extra: dict[str, str]) -> subprocess.Popen[bytes]:
    # ``finlife serve --workers N`` itself (each worker a uvicorn server with its defaults, uvloop and
    # httptools, no access log, on a socket of its own) and the same pool per worker
    # (``kit.db.make_engine``): no bench-only tuning.
    env = {**os.environ, "FINLIFE_DATABASE_URL": url, **env_extra}
    finlife = Path(sys.executable).parent / "finlife"  # the command installed in the same virtualenv
    cmd = [str(finlife), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    # Workers boot in well over a minute when other jobs load the two cores.
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()  # the supervisor stops its workers on SIGTERM; SIGKILL would orphan them
    proc.wait(timeout=30)
    raise SystemExit("finlife did not start")


def pgbench_tps(base_url: str, clients: int, seconds: int, scale: int) -> float:
    # A name of its own: several benchmarks may run pgbench on one server at the same time.
    name = f"finlife_pgbench_{os.getpid()}"
    try:
        return _pgbench(fresh_database(base_url, name), clients, seconds, scale)
    finally:
        drop_database(base_url, name)


def _pgbench(url: str, clients: int, seconds: int, scale: int) -> float:
    conn = make_url(url)
    args = ["-h", conn.host or "127.0.0.1", "-p", str(conn.port or 5432), "-U", conn.username or "postgres"]
    subprocess.run(
        ["pgbench", *args, "-i", "-q", "-s", str(scale), conn.database or ""], check=True, capture_output=True
    )
    out = subprocess.run(
        [
            "pgbench",
            *args,
            "-n",
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(seconds),
            "-b",
            "tpcb-like",
            conn.database or "",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    match = re.search(r"tps = ([0-9.]+)", out)
    if not match:
        raise SystemExit(f"could not read pgbench output:\n{out}")
    return float(match.group(1))


def bench_parser(description: str | None) -> argparse.ArgumentParser:
    """The option every benchmark takes: the PostgreSQL server it creates its database on."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("FINLIFE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    return parser


def bench_arguments(description: str | None) -> argparse.ArgumentParser:
    """The options of a benchmark against a served finlife: the server, how long, how many clients
    and workers."""
    parser = bench_parser(description)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    return parser


def _busy_pct(before: tuple[int, int], after: tuple[int, int]) -> float:
    busy, total = after[0] - before[0], after[1] - before[1]
    return round(100 * busy / total, 1) if total else 0.0


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record each worker with py-spy during the measured phase (PREFIX-<pid>.txt, collapsed stacks)",
    )
    args = parser.parse_args()

    name = f"finlife_bench_{os.getpid()}"  # other benchmarks may share the server
    url = fresh_database(args.postgres, name)
    schema.upgrade(url)
    secret = "bench-secret-key-0123456789abcdef0123456789"
    settings = Settings(
        database_url=url, secret_key=secret, admin_password="bench-admin-pass", fast_password_hashing=True
    )
    database = Database(url)
    print(f"seeding {args.accounts} funded Class I accounts …", flush=True)
    accounts = seed_funded_accounts(database, settings, count=args.accounts, balance=10_000_000)
    with database.unit_of_work() as session:
        identity.ensure_admin(session, settings)
    database.dispose()

    port = free_port()
    env = {"FINLIFE_SECRET_KEY": secret, "FINLIFE_ADMIN_PASSWORD": "bench-admin-pass"}
    server = start_server(url, port, args.workers, env)
    try:
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(
            f"{base}/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": "bench-admin-pass"},
            headers={"X-Channel": "branch"},  # the token is bound to it; transfers repeat it below
        ).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {token}",
            "X-Channel": "branch",
            "Content-Type": "application/json",
        }
        rng = random.Random(7)
        run_id = f"{time.time_ns():x}"
        phase = ["warm-up"]

        def transfer(seq: int) -> tuple[str, dict[str, str], bytes]:
            source, destination = rng.sample(accounts, 2)
            body = {
                "from_account_id": source,
                "to_account_id": destination,
                "amount": rng.randint(1, 10_000),
                "currency": "CNY",
                "memo": "bench",
            }
            key = f"{run_id}-{phase[0]}-{seq}"
            return "/v1/transfers", {**headers, "Idempotency-Key": key}, json_body(body)

        print("warming up …", flush=True)
        asyncio.run(run("127.0.0.1", port, clients=args.clients, seconds=3, make_request=transfer))
        print(f"driving transfers: {args.clients} clients × {args.seconds}s …", flush=True)
        phase[0] = "measured"
        profilers = start_profilers(server.pid, args.profile, args.seconds) if args.profile else []
        cpu_before, busy_before = cpu_seconds(server.pid), machine_busy()
        loops_before = event_loop_cpu_seconds(server.pid)
        backend_before = backend_cpu_seconds(name)  # the pools are connected after the warm-up
        commits_before = commits(args.postgres, name)
        client_before = time.process_time()  # this process only drives the load meanwhile
        result = asyncio.run(
            run("127.0.0.1", port, clients=args.clients, seconds=args.seconds, make_request=transfer)
        )
        client_ms = (time.process_time() - client_before) * 1000
        for profiler in profilers:
            profiler.wait(timeout=60)
        cpu_after, busy_after = cpu_seconds(server.pid), machine_busy()
        loops_ms = (event_loop_cpu_seconds(server.pid) - loops_before) * 1000
        backend_after = backend_cpu_seconds(name)
        time.sleep(1.1)  # every backend has flushed its statistics
        committed = commits(args.postgres, name) - commits_before
        backend_ms = 1000 * sum(used - backend_before.get(pid, 0.0) for pid, used in backend_after.items())
        trial = httpx.get(f"{base}/v1/ledger/trial-balance", headers=headers, timeout=60).json()
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop_database(args.postgres, name)

    completed = result.statuses.get(201, 0)
    transfers_per_s = completed / result.elapsed
    server_cpu_ms = (
        (cpu_after - cpu_before) * 1000 / completed
        if cpu_before is not None and cpu_after is not None and completed
        else None
    )
    print(f"running pgbench tpcb-like: {args.clients} clients × {args.seconds}s …", flush=True)
    pgbench_busy_before = machine_busy()
    tps = pgbench_tps(args.postgres, args.clients, args.seconds, args.pgbench_scale)
    pgbench_busy_after = machine_busy()
    ratio = transfers_per_s / tps if tps else 0.0
    report = {
        "transfers_per_s": round(transfers_per_s, 1),
        "p50_ms": round(result.percentile(50) * 1000, 2),
        "p99_ms": round(result.percentile(99) * 1000, 2),
        "statuses": result.statuses,
        "pgbench_tps": round(tps, 1),
        "ratio": round(ratio, 3),
        # finlife's own CPU per transfer (all its processes), and how busy the whole machine was in
        # each phase: above ~95 % other jobs were competing and the rates above are depressed.
        "server_cpu_ms_per_transfer": round(server_cpu_ms, 3) if server_cpu_ms is not None else None,
        # Of which the event loops' (HTTP and FastAPI); the rest ran in threads (the units of work).
        "event_loop_cpu_ms_per_transfer": round(loops_ms / completed, 3) if completed else None,
        # Approximate: the backends serving the bench database only (not the WAL writer or checkpointer).
        "postgres_cpu_ms_per_transfer": round(backend_ms / completed, 3) if completed else None,
        # The load generator's own CPU (this process), taken from the same two cores.
        "load_generator_cpu_ms_per_transfer": round(client_ms / completed, 3) if completed else None,
        # How many transfers shared a COMMIT, on average (the group commit's batch size).
        "transfers_per_commit": round(completed / committed, 1) if committed else None,
        "machine_busy_pct_finlife": _busy_pct(busy_before, busy_after),
        "machine_busy_pct_pgbench": _busy_pct(pgbench_busy_before, pgbench_busy_after),
        "trial_balance_total": trial["total"],
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "accounts": args.accounts,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"transfers-{run_id}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\ntransfers/s {transfers_per_s:.0f} · p50 {report['p50_ms']} ms · p99 {report['p99_ms']} ms · "
        f"pgbench {tps:.0f} TPS · ratio {ratio:.2f} · trial balance {trial['total']} · "
        f"CPU per transfer: finlife {report['server_cpu_ms_per_transfer']} ms "
        f"(event loops {report['event_loop_cpu_ms_per_transfer']} ms), "
        f"PostgreSQL {report['postgres_cpu_ms_per_transfer']} ms, "
        f"load generator {report['load_generator_cpu_ms_per_transfer']} ms"
    )
    if trial["total"] != 0:
        raise SystemExit("trial balance is not zero")
    if set(result.statuses) - {201}:
        print(f"note: non-201 answers: { {k: v for k, v in result.statuses.items() if k != 201} }")


if __name__ == "__main__":
    main()
