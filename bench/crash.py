"""Crash test: transfers under load while the server is killed with SIGKILL, again and again.

    make bench-crash      (or: .venv/bin/python bench/crash.py --kills 5 --clients 8)

Seeds a fresh PostgreSQL database with funded Class I accounts and serves it with ``finlife serve``
(``bench/transfers.py``'s helpers). Several clients send ``POST /v1/transfers``, each with its own
Idempotency-Key (also written in the memo, so that every ledger transfer names the request it came
from). Meanwhile the server — the supervisor and every worker — is killed with SIGKILL at random
moments and started again; a client whose request got no answer sends it again, same key and body,
until it is acknowledged. Afterwards it checks:

- every acknowledged transfer exists exactly once, as acknowledged (id, amount, ledger entry);
- no transfer and no transfer ledger entry exists that no client sent;
- every account's balance is its opening balance plus what the acknowledged transfers moved;
- replaying every key answers exactly the first acknowledgement (``Idempotent-Replayed: true``);
- the trial balance is zero.

Prints the figures and exits 1 on any violation.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.accounts.models import Transfer
from finlife.demo.world import seed_funded_accounts
from finlife.identity import service as identity
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.ledger.models import JournalEntry
from finlife.settings import Settings
from transfers import bench_parser, drop_database, free_port, fresh_database, start_server

OPENING = 10_000_000  # fen in each account: no transfer here is refused for want of money
SECRET = "crash-secret-key-0123456789abcdef0123456789"
ADMIN_PASSWORD = "crash-admin-pass"
GIVE_UP_SECONDS = 60  # a request still unacknowledged this long after the last restart is reported


@dataclass
class Request:
    key: str
    body: dict[str, Any]
    answer: dict[str, Any] | None = None  # the first acknowledgement
    attempts: int = 0


@dataclass
class Client:
    index: int
    accounts: list[str]
    seed: int
    sent: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def run(self, base: str, headers: dict[str, str], stop: threading.Event, give_up: list[float]) -> None:
        rng = random.Random(self.seed)
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            while not stop.is_set():
                source, target = rng.sample(self.accounts, 2)
                key = f"crash-{self.seed}-{len(self.sent)}"
                body = {
                    "from_account_id": source,
                    "to_account_id": target,
                    "amount": rng.randint(1, 5_000),
                    "currency": "CNY",
                    "memo": key,
                }
                request = Request(key, body)
                self.sent.append(request)
                self._until_acknowledged(http, request, give_up)

    def _until_acknowledged(self, http: httpx.Client, request: Request, give_up: list[float]) -> None:
        while time.monotonic() < give_up[0]:
            request.attempts += 1
            try:
                answer = http.post(
                    "/v1/transfers", json=request.body, headers={"Idempotency-Key": request.key}
                )
            except httpx.HTTPError:
                time.sleep(0.05)  # the server is down or died mid-request: the same key again
                continue
            if answer.status_code == 201:
                request.answer = answer.json()
                return
            if answer.status_code in (409, 503):  # the first attempt is still running somewhere
                time.sleep(0.05)
                continue
            self.problems.append(f"{request.key}: answered {answer.status_code} {answer.text[:200]}")
            return


def _descendants(root: int) -> list[int]:
    """The process and everything it started, parents first (Linux /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
    tree = [root]
    for pid in tree:
        tree.extend(child for child, parent in sorted(parents.items()) if parent == pid)
    return tree


def kill_server(server: Any) -> None:
    """SIGKILL the supervisor first (so it starts nothing again), then each worker, by pid."""
    tree = _descendants(server.pid)
    for pid in tree:
        with contextlib.suppress(ProcessLookupError):  # it ended by itself meanwhile
            os.kill(pid, signal.SIGKILL)
    server.wait()
    for pid in tree[1:]:  # orphans now: gone once the kernel has closed their sockets
        while Path(f"/proc/{pid}").exists():
            time.sleep(0.01)


def check(
    url: str, base: str, headers: dict[str, str], accounts: list[str], sent: list[Request]
) -> list[str]:
    problems = []
    acknowledged = {r.key: r for r in sent if r.answer is not None}
    database = Database(url)
    with database.unit_of_work() as session:
        rows = session.execute(
            select(Transfer.memo, Transfer.public_id, Transfer.amount, Transfer.entry_id)
        ).all()
        transfer_entries = session.execute(
            select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "transfer")
        ).scalar_one()
        trial_total = ledger.trial_balance(session).total
    database.dispose()
    stored = Counter(memo for memo, *_ in rows)
    sent_keys = {r.key for r in sent}
    problems += [f"{memo}: {count} transfers for one request" for memo, count in stored.items() if count > 1]
    problems += [f"{memo}: a transfer no client sent" for memo in stored if memo not in sent_keys]
    by_memo = {memo: (public_id, amount, entry_id) for memo, public_id, amount, entry_id in rows}
    for key, request in acknowledged.items():
        assert request.answer is not None
        expected = (request.answer["id"], request.body["amount"], request.answer["entry_id"])
        if by_memo.get(key) != expected:
            problems.append(f"{key}: acknowledged as {expected}, stored as {by_memo.get(key)}")
    if transfer_entries != len(rows):
        problems.append(f"{transfer_entries} transfer ledger entries for {len(rows)} transfers")
    if trial_total != 0:
        problems.append(f"trial balance {trial_total}, not zero")
    balances = dict.fromkeys(accounts, OPENING)
    for request in sent:  # an unacknowledged request may or may not have moved money: count what is stored
        if request.key in by_memo:
            balances[request.body["from_account_id"]] -= request.body["amount"]
            balances[request.body["to_account_id"]] += request.body["amount"]
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for account_id, expected_balance in balances.items():
            shown = http.get(f"/v1/accounts/{account_id}").json()["balance"]["ledger"]
            if shown != expected_balance:
                problems.append(f"{account_id}: balance {shown}, expected {expected_balance}")
    return problems + replay(base, headers, list(acknowledged.values()))


def replay(base: str, headers: dict[str, str], acknowledged: list[Request]) -> list[str]:
    """Every key sent again: the first acknowledgement, marked as a replay."""

    def again(requests: list[Request]) -> list[str]:
        wrong = []
        with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
            for request in requests:
                answer = http.post(
                    "/v1/transfers", json=request.body, headers={"Idempotency-Key": request.key}
                )
                replayed = answer.headers.get("Idempotent-Replayed")
                if (answer.status_code, replayed) != (201, "true") or answer.json() != request.answer:
                    wrong.append(f"{request.key}: replay answered {answer.status_code} {answer.text[:200]}")
        return wrong

    with ThreadPoolExecutor(4) as pool:
        return [
            problem for part in pool.map(again, [acknowledged[i::4] for i in range(4)]) for problem in part
        ]


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--kills", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    name = f"finlife_crash_{os.getpid()}"
    url = fresh_database(args.postgres, name)
    try:
        schema.upgrade(url)
        settings = Settings(
            database_url=url, secret_key=SECRET, admin_password=ADMIN_PASSWORD, fast_password_hashing=True
        )
        database = Database(url)
        accounts = seed_funded_accounts(database, settings, count=args.accounts, balance=OPENING)
        with database.unit_of_work() as session:
            identity.ensure_admin(session, settings)
        database.dispose()
        problems = crash(args, rng, url, accounts)
    finally:
        drop_database(args.postgres, name)
    if problems:
        print(f"VIOLATIONS ({len(problems)}):", *problems[:50], sep="\n  ")
        raise SystemExit(1)
    print("no violation")


def crash(args: Any, rng: random.Random, url: str, accounts: list[str]) -> list[str]:
    port = free_port()
    env = {"FINLIFE_SECRET_KEY": SECRET, "FINLIFE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    base = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    server = start_server(url, port, args.workers, env)
    try:
        token = httpx.post(
            f"{base}/v1/auth/token",
            data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
            headers={"X-Channel": "branch"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "X-Channel": "branch"}
        stop, give_up = threading.Event(), [float("inf")]
        clients = [Client(i, accounts, args.seed * 1_000 + i) for i in range(args.clients)]
        threads = [
            threading.Thread(target=c.run, args=(base, headers, stop, give_up), daemon=True) for c in clients
        ]
        for thread in threads:
            thread.start()
        try:
            for kill in range(args.kills):
                time.sleep(rng.uniform(1.0, 4.0))  # a random moment under load
                kill_server(server)
                print(f"kill {kill + 1}: SIGKILL at {time.monotonic() - started:.1f} s", flush=True)
                time.sleep(rng.uniform(0.0, 0.5))
                server = start_server(url, port, args.workers, env)
            time.sleep(2)
        except BaseException:
            give_up[0] = 0.0  # the clients stop at once
            raise
        finally:
            stop.set()
        give_up[0] = time.monotonic() + GIVE_UP_SECONDS
        for thread in threads:
            thread.join()
        loaded = time.monotonic() - started
        sent = [request for client in clients for request in client.sent]
        problems = [problem for client in clients for problem in client.problems]
        unacknowledged = [r.key for r in sent if r.answer is None]
        problems += [f"{key}: never acknowledged" for key in unacknowledged]
        problems += check(url, base, headers, accounts, sent)
        figures = {
            "transfers_sent": len(sent),
            "acknowledged": len(sent) - len(unacknowledged),
            "retried": sum(1 for r in sent if r.attempts > 1),
            "attempts": sum(r.attempts for r in sent),
            "kills": args.kills,
            "clients": args.clients,
            "workers": args.workers,
            "seconds_under_load": round(loaded, 1),
            "seconds_in_all": round(time.monotonic() - started, 1),
            "violations": len(problems),
        }
        print(*(f"{key}: {value}" for key, value in figures.items()), sep="\n")
        return problems
    finally:
        kill_server(server)
        # A start that timed out kills only its supervisor: its workers are ended here, by pid.
        for pid in _descendants(os.getpid())[1:]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
