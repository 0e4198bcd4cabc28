"""CPU per transfer in one process, on PostgreSQL: finlife's app called through ASGI (no sockets, no
HTTP parsing, no uvicorn), many transfers in flight from concurrent tasks, as the server's event
loop would have them.

``bench/transfers.py`` measures the whole server against pgbench; on a machine shared with other
jobs its rates move with their load. The CPU a transfer costs moves far less, and here it is split:
the event loop's thread (routing, middleware, the route, the answer), finlife's other threads (the
group commit's posting thread, where the units of work run) and the PostgreSQL backends. Compare
two versions of the path by alternating runs of each in the same minutes:

    PYTHONPATH=src .venv/bin/python bench/posting_cpu.py
    git archive HEAD~1 | tar -x -C /tmp/base
    PYTHONPATH=/tmp/base/src .venv/bin/python /tmp/base/bench/posting_cpu.py
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import threading
import time
from typing import Any

from fastapi import FastAPI

from finlife import schema
from finlife.app import create_app
from finlife.demo.world import seed_funded_accounts
from finlife.identity import service as identity
from finlife.kit.db import Database
from finlife.settings import Settings
from transfers import backend_cpu_seconds, bench_parser, drop_database, fresh_database

Answer = tuple[int, bytes]


async def call(app: FastAPI, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
    """One request through the app as an ASGI server would send it; its status and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        + [(b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.Event().wait()  # never: a disconnect would only come after the answer
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def drive(app: FastAPI, accounts: list[str], token: str, *, clients: int, count: int) -> dict[int, int]:
    rng = random.Random(7)
    headers = {"authorization": f"Bearer {token}", "x-channel": "branch", "content-type": "application/json"}
    statuses: dict[int, int] = {}
    left = [count]
    run = f"{time.time_ns():x}"

    async def client() -> None:
        while left[0] > 0:
            left[0] -= 1
            source, destination = rng.sample(accounts, 2)
            body = {"from_account_id": source, "to_account_id": destination, "amount": rng.randint(1, 10_000)}
            payload = json.dumps(body | {"currency": "CNY", "memo": "bench"}).encode()
            key = {"idempotency-key": f"{run}-{left[0]}"}
            status, _ = await call(app, "POST", "/v1/transfers", headers | key, payload)
            statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return statuses


async def measure(
    app: FastAPI, accounts: list[str], database_name: str, args: argparse.Namespace
) -> dict[str, Any]:
    form = b"grant_type=password&username=admin&password=bench-admin-pass"
    status, answer = await call(
        app,
        "POST",
        "/v1/auth/token",
        # The token is bound to the branch, the channel the transfers below repeat in X-Channel.
        {"content-type": "application/x-www-form-urlencoded", "x-channel": "branch"},
        form,
    )
    assert status == 200, answer
    token = json.loads(answer)["access_token"]
    async with app.router.lifespan_context(app):
        await drive(app, accounts, token, clients=args.clients, count=args.transfers // 4)  # warm-up
        process, loop = time.process_time(), time.thread_time()
        backends = backend_cpu_seconds(database_name)
        started = time.perf_counter()
        statuses = await drive(app, accounts, token, clients=args.clients, count=args.transfers)
        elapsed = time.perf_counter() - started
        loop_s, process_s = time.thread_time() - loop, time.process_time() - process
        after = backend_cpu_seconds(database_name)
    done = statuses.get(201, 0)
    postgres_s = sum(used - backends.get(pid, 0.0) for pid, used in after.items())
    return {
        "transfers": done,
        "statuses": statuses,
        "event_loop_ms": round(1000 * loop_s / done, 3),
        "threads_ms": round(1000 * (process_s - loop_s) / done, 3),
        "postgres_ms": round(1000 * postgres_s / done, 3),
        "transfers_per_s": round(done / elapsed, 1),
        "threads": threading.active_count(),
    }


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--transfers", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=16, help="in flight at once (one worker's share)")
    parser.add_argument("--accounts", type=int, default=1000)
    args = parser.parse_args()

    name = f"finlife_posting_{os.getpid()}"
    url = fresh_database(args.postgres, name)
    try:
        schema.upgrade(url)
        settings = Settings(
            database_url=url,
            secret_key="bench-secret-key-0123456789abcdef0123456789",
            admin_password="bench-admin-pass",
            fast_password_hashing=True,
        )
        database = Database(url)
        accounts = seed_funded_accounts(database, settings, count=args.accounts, balance=10_000_000)
        with database.unit_of_work() as session:
            identity.ensure_admin(session, settings)
        database.dispose()
        app = create_app(settings)
        report = asyncio.run(measure(app, accounts, name, args))
    finally:
        drop_database(args.postgres, name)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
