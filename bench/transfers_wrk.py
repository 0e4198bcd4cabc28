"""Benchmark: transfers measured as an operator would, against pgbench at its best client count.

    make bench-transfers-wrk   (or: .venv/bin/python bench/transfers_wrk.py --seconds 20)

``finlife serve --workers`` as many as the machine has cores, 200 funded accounts (more contention
than ``bench/transfers.py``'s 1,000), ``wrk`` with 32 keep-alive connections (Debian: ``wrk``) sending
``POST /v1/transfers`` with a key of its own each (bench/transfers.lua), then pgbench's built-in
``tpcb-like`` at 8 and 32 clients; the ratio is to the better of the two. Afterwards it checks what
the run left: the trial balance is zero, every account's balance is the sum of its postings, and
the ledger booked exactly one transfer per 201 answer. Exits non-zero when any of them fails.
``--profile PREFIX`` records each worker with py-spy during the measured run (it takes CPU: compare
profiles with each other, not a profiled run's rate with an unprofiled one).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.demo.world import seed_funded_accounts
from finlife.identity import service as identity
from finlife.kit.db import Database
from finlife.settings import Settings
from transfers import (
    bench_parser,
    cpu_seconds,
    drop_database,
    free_port,
    fresh_database,
    machine_busy,
    pgbench_tps,
    start_profilers,
    start_server,
)

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).with_name("transfers.lua")
SECRET, ADMIN_PASSWORD = "bench-secret-key-0123456789abcdef0123456789", "bench-admin-pass"


def wrk(
    port: int, *, seconds: int, connections: int, threads: int, accounts: Path, token: str, run: str
) -> dict:
    """One wrk run; its script's summary line (latencies in microseconds, every status counted)."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(SCRIPT),
            f"http://127.0.0.1:{port}",
            "--",
            str(accounts),
            token,
            run,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for line in out.splitlines():
        if line.startswith("finlife-wrk "):
            summary: dict = json.loads(line.removeprefix("finlife-wrk "))
            return summary
    raise SystemExit(f"wrk printed no summary:\n{out}")


def ledger_checks(url: str) -> dict[str, int]:
    """What the run left in the ledger, read from the database itself."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            drifted = conn.execute(
                text(
                    "SELECT count(*) FROM ledger_accounts a LEFT JOIN "
                    "(SELECT ledger_account_id, sum(amount) AS total FROM postings"
                    " GROUP BY ledger_account_id) p "
                    "ON p.ledger_account_id = a.id WHERE a.balance <> coalesce(p.total, 0)"
                )
            ).scalar_one()
            unbalanced = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT entry_id FROM postings"
                    " GROUP BY entry_id HAVING sum(amount) <> 0) e"
                )
            ).scalar_one()
            # The signed total of every balance: what ``GET /v1/ledger/trial-balance`` sums.
            trial = conn.execute(text("SELECT coalesce(sum(balance), 0) FROM ledger_accounts")).scalar_one()
            transfers = conn.execute(
                text("SELECT count(*) FROM journal_entries WHERE kind = 'transfer' AND memo = 'bench'")
            ).scalar_one()
    finally:
        engine.dispose()
    return {
        "trial_balance_total": int(trial),
        "accounts_drifted": drifted,
        "entries_unbalanced": unbalanced,
        "transfers_booked": transfers,
    }


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="default: the machine's cores"
    )
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument(
        "--pgbench-clients", default="8,32", help="client counts tried; the best TPS is the baseline"
    )
    parser.add_argument("--pgbench-scale", type=int, default=10)
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record each worker with py-spy during the measured run (PREFIX-<pid>.txt, raw stacks)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    name = f"finlife_bench_wrk_{os.getpid()}"
    url = fresh_database(args.postgres, name)
    work = Path(tempfile.mkdtemp(prefix="finlife-wrk-"))
    try:
        schema.upgrade(url)
        settings = Settings(
            database_url=url, secret_key=SECRET, admin_password=ADMIN_PASSWORD, fast_password_hashing=True
        )
        database = Database(url)
        print(f"seeding {args.accounts} funded Class I accounts …", flush=True)
        accounts = seed_funded_accounts(database, settings, count=args.accounts, balance=10_000_000)
        with database.unit_of_work() as session:
            identity.ensure_admin(session, settings)
        database.dispose()
        listed = work / "accounts.txt"
        listed.write_text("\n".join(accounts) + "\n")

        port = free_port()
        env = {"FINLIFE_SECRET_KEY": SECRET, "FINLIFE_ADMIN_PASSWORD": ADMIN_PASSWORD}
        server = start_server(url, port, args.workers, env)
        try:
            token = httpx.post(
                f"http://127.0.0.1:{port}/v1/auth/token",
                data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
                headers={"X-Channel": "branch"},
            ).json()["access_token"]
            run_id = f"{time.time_ns():x}"
            common = {
                "connections": args.connections,
                "threads": args.threads,
                "accounts": listed,
                "token": token,
            }
            print("warming up …", flush=True)
            warm = wrk(port, seconds=3, run=f"{run_id}-warm", **common)
            print(
                f"wrk: {args.connections} connections × {args.seconds}s, {args.workers} workers …", flush=True
            )
            profilers = start_profilers(server.pid, args.profile, args.seconds) if args.profile else []
            cpu_before, busy_before = cpu_seconds(server.pid), machine_busy()
            measured = wrk(port, seconds=args.seconds, run=f"{run_id}-measured", **common)
            cpu_after, busy_after = cpu_seconds(server.pid), machine_busy()
            for profiler in profilers:
                profiler.wait(timeout=60)
        finally:
            server.terminate()
            server.wait(timeout=30)
        checks = ledger_checks(url)
    finally:
        drop_database(args.postgres, name)
        shutil.rmtree(work, ignore_errors=True)

    created = measured["statuses"].get("201", 0)
    rate = created / (measured["duration_us"] / 1e6)
    baselines = {}
    for clients in (int(c) for c in args.pgbench_clients.split(",")):
        print(f"running pgbench tpcb-like: {clients} clients × {args.seconds}s …", flush=True)
        baselines[clients] = pgbench_tps(args.postgres, clients, args.seconds, args.pgbench_scale)
    best_clients = max(baselines, key=lambda c: baselines[c])
    ratio = rate / baselines[best_clients]
    answered_201 = created + warm["statuses"].get("201", 0)
    busy = (busy_after[0] - busy_before[0]) / max(busy_after[1] - busy_before[1], 1)
    report = {
        "transfers_per_s": round(rate, 1),
        "p50_ms": round(measured["p50_us"] / 1000, 2),
        "p99_ms": round(measured["p99_us"] / 1000, 2),
        "statuses": measured["statuses"],
        "socket_errors": measured["socket_errors"],
        "pgbench_tps": {str(c): round(t, 1) for c, t in baselines.items()},
        "pgbench_best_clients": best_clients,
        "ratio": round(ratio, 3),
        "server_cpu_ms_per_transfer": (
            round((cpu_after - cpu_before) * 1000 / created, 3)
            if cpu_before is not None and cpu_after is not None and created
            else None
        ),
        "machine_busy_pct": round(100 * busy, 1),
        **checks,
        "answered_201": answered_201,
        "connections": args.connections,
        "workers": args.workers,
        "accounts": args.accounts,
        "seconds": args.seconds,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"transfers-wrk-{run_id}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\ntransfers/s {rate:.0f} · p50 {report['p50_ms']} ms · p99 {report['p99_ms']} ms · "
        f"pgbench {baselines[best_clients]:.0f} TPS at {best_clients} clients · ratio {ratio:.2f} · "
        f"finlife CPU {report['server_cpu_ms_per_transfer']} ms per transfer"
    )
    failures = []
    if checks["trial_balance_total"] != 0:
        failures.append(f"trial balance {checks['trial_balance_total']}")
    if checks["accounts_drifted"] or checks["entries_unbalanced"]:
        failures.append(
            f"{checks['accounts_drifted']} balances differ from their postings, "
            f"{checks['entries_unbalanced']} entries unbalanced"
        )
    # wrk closes its connections when its time is up: the requests then in flight (at most one per
    # connection, in each of the two runs) may still be booked, unanswered.
    in_flight = 2 * args.connections
    if not answered_201 <= checks["transfers_booked"] <= answered_201 + in_flight:
        failures.append(f"{answered_201} transfers answered 201 but {checks['transfers_booked']} booked")
    if not created:
        failures.append("no transfer succeeded")
    if failures:
        raise SystemExit("; ".join(failures))


if __name__ == "__main__":
    main()
