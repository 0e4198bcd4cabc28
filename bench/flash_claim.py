"""Benchmark: a flash claim on PostgreSQL — 10,000 concurrent claims for 1,000 coupons, through the API.

    make bench-flash-claim   (or: .venv/bin/python bench/flash_claim.py --claims 10000 --stock 1000)

Seeds a fresh database with several thousand funded customers signed up in the app and two head-office
marketers; one draws up a campaign (``--stock`` coupons, ``--limit`` per customer, ``--price`` fen each,
0 = free) and the other approves it, through the API. Then ``--clients`` keep-alive connections send
``--claims`` claims (``POST /v1/life/campaigns/{id}/claim``, each with its own Idempotency-Key) of
customers drawn at random, as fast as the server answers. Prints claims/s — successful ones until the
last coupon was taken, and all answered ones (the rest are refusals: sold out, over the limit) — p50/p99
of both and the CPU per answered claim (finlife, its event loops, PostgreSQL, and this load generator
itself, which shares the machine), then checks, exiting 1 on any failure:

- exactly ``--stock`` coupons exist, the campaign says it issued that many, and as many claims were 201;
- nobody holds more than the per-customer limit (in the database and in every customer's wallet);
- the wallets (``GET /v1/me/coupons`` of every customer) hold ``--stock`` coupons in total;
- bought coupons: the customers' accounts lost exactly ``price`` per coupon, the campaign's coupon
  sales hold that sum, and the trial balance is zero.

Results go to bench/results/. ``--profile PREFIX`` records each worker with py-spy during the claims
(give ``--seconds`` about the claims' length).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent))
from checkout import SECRET, Connection, sign_in
from finlife import schema
from finlife.accounts import service as accounts
from finlife.demo.common import DEMO_PASSWORD, seeding_settings
from finlife.demo.world import seed_funded_people
from finlife.identity import service as identity
from finlife.kit.auth import Role
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.marketing.models import Campaign, Coupon
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
    start_profilers,
    start_server,
)

DATABASE = "finlife_bench_flash"
BALANCE = 1_000_000  # fen in each customer's account
ADMIN_PASSWORD = "bench-admin-pass"  # a throwaway database's admin


@dataclass(frozen=True)
class Customer:
    username: str
    account_id: str
    customer_id: str


def seed(url: str, *, customers: int) -> list[Customer]:
    settings = seeding_settings(Settings(database_url=url, secret_key=SECRET, admin_password=ADMIN_PASSWORD))
    people = seed_funded_people(Database(url), settings, count=customers, balance=BALANCE, login=True)
    database = Database(url)
    with database.unit_of_work() as session:
        identity.ensure_admin(session, settings)
        for username in ("flash.author", "flash.approver"):
            identity.create_user(
                session, settings, username=username, password=DEMO_PASSWORD, roles=[Role.HQ_MARKETING]
            )
    database.dispose()
    return [Customer(p.username or "", p.class_i, p.customer_id) for p in people]


Request = tuple[str, str, dict[str, str], bytes]  # method, path, headers, body


@dataclass(frozen=True)
class Answer:
    status: int  # 0: the connection dropped before an answer
    body: bytes
    latency_s: float
    at_s: float  # when it came, from the start of the run


async def _worker(port: int, pending: list[Request], answers: list[Answer], started: float) -> None:
    conn = Connection(*await asyncio.open_connection("127.0.0.1", port))
    try:
        while pending:
            index = len(pending) - 1
            method, path, headers, body = pending.pop()
            sent = time.perf_counter()
            try:
                status, answer = await conn.request(method, path, headers, body)
            except (ConnectionError, asyncio.IncompleteReadError, IndexError, ValueError):
                # The server dropped the connection mid-answer: no answer (status 0); carry on anew.
                conn.writer.close()
                conn = Connection(*await asyncio.open_connection("127.0.0.1", port))
                status, answer = 0, b""
            now = time.perf_counter()
            answers[index] = Answer(status, answer, now - sent, now - started)
    finally:
        conn.writer.close()


def send_all(port: int, requests: list[Request], clients: int) -> tuple[float, list[Answer]]:
    """Every request once, over ``clients`` keep-alive connections, as fast as they are answered: the
    seconds it took and the answers in the requests' order."""
    pending = list(requests)
    answers = [Answer(0, b"", 0.0, 0.0)] * len(requests)
    started = time.perf_counter()

    async def everything() -> None:
        await asyncio.gather(*(_worker(port, pending, answers, started) for _ in range(clients)))

    asyncio.run(everything())
    return time.perf_counter() - started, answers


def _statuses(answers: list[Answer]) -> Counter[str]:
    """Answers by status and error code, e.g. "201", "409 campaign_not_live"."""
    counted: Counter[str] = Counter()
    for answer in answers:
        code = json.loads(answer.body).get("code", "") if answer.status >= 400 and answer.body else ""
        counted[f"{answer.status} {code}".strip()] += 1
    return counted


def _percentiles(answers: list[Answer]) -> tuple[float, float]:
    timed = Result(latencies=[answer.latency_s for answer in answers])
    return round(timed.percentile(50) * 1000, 1), round(timed.percentile(99) * 1000, 1)


def sign_in_all(port: int, customers: list[Customer], clients: int) -> list[str]:
    form = {"Content-Type": "application/x-www-form-urlencoded", "X-Channel": "mobile"}
    requests: list[Request] = [
        (
            "POST",
            "/v1/auth/token",
            form,
            urllib.parse.urlencode(
                {"grant_type": "password", "username": c.username, "password": DEMO_PASSWORD}
            ).encode(),
        )
        for c in customers
    ]
    _elapsed, answers = send_all(port, requests, clients)
    if any(answer.status != 200 for answer in answers):
        raise SystemExit(f"sign-in failed: {_statuses(answers)}")
    return [json.loads(answer.body)["access_token"] for answer in answers]


def open_campaign(base: str, *, stock: int, limit: int, price: int) -> str:
    author, approver = (sign_in(base, name, DEMO_PASSWORD) for name in ("flash.author", "flash.approver"))

    def staff(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "X-Channel": "web"}

    body = {
        "name": "限时抢券",
        "kind": "fixed",
        "value": max(2_000, price + 1_000),
        "price": price,
        "funding": {"hq": 100},
        "budget": {"hq": 10**10},
        "stock": stock,
        "per_customer_limit": limit,
        "valid_days": 30,
        "labels": ["special_offer"],
    }
    created = httpx.post(f"{base}/v1/campaigns", json=body, headers=staff(author), timeout=30)
    created.raise_for_status()
    campaign_id: str = created.json()["id"]
    httpx.post(
        f"{base}/v1/campaigns/{campaign_id}/submit", headers=staff(author), timeout=30
    ).raise_for_status()
    approved = httpx.post(f"{base}/v1/campaigns/{campaign_id}/approve", headers=staff(approver), timeout=30)
    approved.raise_for_status()
    if approved.json()["status"] != "live":
        raise SystemExit(f"campaign not live: {approved.json()}")
    return campaign_id


def claims(
    campaign_id: str, customers: list[Customer], tokens: list[str], count: int, run_id: str
) -> list[Request]:
    rng = random.Random(run_id)
    requests: list[Request] = []
    for seq in range(count):
        who = rng.randrange(len(customers))
        headers = {
            "Authorization": f"Bearer {tokens[who]}",
            "X-Channel": "mobile",
            "Content-Type": "application/json",
            "Idempotency-Key": f"{run_id}-{seq}",
        }
        body = json_body({"account_id": customers[who].account_id})
        requests.append(("POST", f"/v1/life/campaigns/{campaign_id}/claim", headers, body))
    return requests


def wallets(port: int, tokens: list[str], clients: int) -> list[int]:
    """How many coupons each customer's wallet shows."""
    requests: list[Request] = [
        ("GET", "/v1/me/coupons", {"Authorization": f"Bearer {token}", "X-Channel": "mobile"}, b"")
        for token in tokens
    ]
    _elapsed, answers = send_all(port, requests, clients)
    if any(answer.status != 200 for answer in answers):
        raise SystemExit(f"wallets failed: {_statuses(answers)}")
    return [len(json.loads(answer.body)) for answer in answers]


def database_figures(url: str, campaign_id: str, customers: list[Customer]) -> dict[str, int]:
    """Coupons, the campaign's issued counter, the most any customer holds, the money the customers
    paid, the campaign's coupon sales and the trial balance — read from the database itself."""
    database = Database(url)
    with database.unit_of_work() as session:
        campaign = session.execute(select(Campaign).where(Campaign.public_id == campaign_id)).scalar_one()
        per_customer = session.execute(
            select(Coupon.customer_id, func.count())
            .where(Coupon.campaign_pk == campaign.id)
            .group_by(Coupon.customer_id)
        ).all()
        paid = 0
        for customer in customers:
            ledger_id = accounts.account_facts(session, customer.account_id).ledger_account_id
            paid += BALANCE - ledger.balance(session, ledger_id).ledger
        sales = (
            ledger.balance(session, campaign.sales_ledger_account_id).ledger
            if campaign.sales_ledger_account_id
            else 0
        )
        trial = ledger.trial_balance(session).total
    database.dispose()
    return {
        "coupons": sum(count for _customer, count in per_customer),
        "issued": campaign.issued,
        "most_held": max((count for _customer, count in per_customer), default=0),
        "holders": len(per_customer),
        "paid": paid,
        "sales": sales,
        "trial_balance": trial,
    }


def failures(
    figures: dict[str, int], *, stock: int, limit: int, price: int, succeeded: int, wallet_counts: list[int]
) -> list[str]:
    """What does not hold of the oversell check (empty when all does)."""
    found = [
        (figures["coupons"] == stock, f"{figures['coupons']} coupons, not {stock}"),
        (figures["issued"] == stock, f"issued {figures['issued']}, not {stock}"),
        (succeeded == stock, f"{succeeded} claims answered 201, not {stock}"),
        (figures["most_held"] <= limit, f"someone holds {figures['most_held']} > {limit}"),
        (max(wallet_counts) <= limit, f"a wallet shows {max(wallet_counts)} > {limit}"),
        (sum(wallet_counts) == stock, f"the wallets hold {sum(wallet_counts)}, not {stock}"),
        (figures["paid"] == stock * price, f"the customers paid {figures['paid']}, not {stock * price}"),
        (figures["sales"] == stock * price, f"coupon sales hold {figures['sales']}, not {stock * price}"),
        (figures["trial_balance"] == 0, f"trial balance {figures['trial_balance']}"),
    ]
    return [message for holds, message in found if not holds]


def _cpu(server: int) -> dict[str, float]:
    """CPU seconds so far of finlife (its workers; of which the event loops) and of the bench
    database's PostgreSQL backends."""
    return {
        "finlife": cpu_seconds(server) or 0.0,
        "finlife_event_loops": event_loop_cpu_seconds(server),
        "postgres": sum(backend_cpu_seconds(DATABASE).values()),
    }


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--stock", type=int, default=1_000)
    parser.add_argument("--limit", type=int, default=2, choices=(1, 2))
    parser.add_argument("--customers", type=int, default=3_000)
    parser.add_argument("--price", type=int, default=0, help="fen per coupon; 0 = a free claim")
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record each worker with py-spy during the claims (PREFIX-<pid>.txt, collapsed stacks)",
    )
    args = parser.parse_args()

    url = fresh_database(args.postgres, DATABASE)
    schema.upgrade(url)
    print(f"seeding {args.customers} funded app customers …", flush=True)
    customers = seed(url, customers=args.customers)

    port = free_port()
    server = start_server(
        url, port, args.workers, {"FINLIFE_SECRET_KEY": SECRET, "FINLIFE_ADMIN_PASSWORD": ADMIN_PASSWORD}
    )
    run_id = f"{time.time_ns():x}"
    try:
        base = f"http://127.0.0.1:{port}"
        print("signing in the customers …", flush=True)
        tokens = sign_in_all(port, customers, 32)
        campaign_id = open_campaign(base, stock=args.stock, limit=args.limit, price=args.price)
        print(
            f"flash claim: {args.claims} claims for {args.stock} coupons over {args.clients} connections …",
            flush=True,
        )
        requests = claims(campaign_id, customers, tokens, args.claims, run_id)
        profilers = start_profilers(server.pid, args.profile, args.seconds) if args.profile else []
        cpu_before = _cpu(server.pid)
        client_before = time.process_time()  # this process only sends the claims meanwhile
        elapsed, answers = send_all(port, requests, args.clients)
        client_used = time.process_time() - client_before
        cpu_used = {name: seconds - cpu_before[name] for name, seconds in _cpu(server.pid).items()}
        for profiler in profilers:
            profiler.wait(timeout=60)
        wallet_counts = wallets(port, tokens, 32)
    finally:
        server.terminate()
        server.wait(timeout=30)

    figures = database_figures(url, campaign_id, customers)
    won = [answer for answer in answers if answer.status == 201]
    answered = [answer for answer in answers if answer.status]
    sold_out_s = max((answer.at_s for answer in won), default=elapsed)
    p50, p99 = _percentiles(answered)
    won_p50, won_p99 = _percentiles(won)
    report = {
        "claims_per_s_succeeded": round(len(won) / sold_out_s, 1),  # until the last coupon was taken
        "claims_per_s_answered": round(len(answered) / elapsed, 1),
        "p50_ms": p50,
        "p99_ms": p99,
        "succeeded_p50_ms": won_p50,
        "succeeded_p99_ms": won_p99,
        # CPU per claim answered, in ms: moves far less with the machine's other load than the rates.
        **{
            f"cpu_ms_per_claim_{name}": round(1000 * used / max(len(answered), 1), 3)
            for name, used in cpu_used.items()
        },
        # The load generator's own CPU, taken from the same two cores.
        "cpu_ms_per_claim_load_generator": round(1000 * client_used / max(len(answered), 1), 3),
        "sold_out_s": round(sold_out_s, 2),
        "elapsed_s": round(elapsed, 2),
        "statuses": dict(_statuses(answers)),
        **figures,
        "claims": args.claims,
        "stock": args.stock,
        "per_customer_limit": args.limit,
        "price": args.price,
        "customers": args.customers,
        "clients": args.clients,
        "workers": args.workers,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"flash-claim-{run_id}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    print(
        f"\nclaims/s {report['claims_per_s_succeeded']} succeeded (sold out in {report['sold_out_s']} s), "
        f"{report['claims_per_s_answered']} answered · p50 {report['p50_ms']} ms · "
        f"p99 {report['p99_ms']} ms · CPU/claim {report['cpu_ms_per_claim_finlife']} ms finlife "
        f"({report['cpu_ms_per_claim_finlife_event_loops']} event loops), "
        f"{report['cpu_ms_per_claim_postgres']} ms postgres, "
        f"{report['cpu_ms_per_claim_load_generator']} ms load generator · "
        f"{figures['coupons']} coupons, most held {figures['most_held']} · "
        f"wallets {sum(wallet_counts)} · trial balance {figures['trial_balance']}"
    )
    wrong = failures(
        figures,
        stock=args.stock,
        limit=args.limit,
        price=args.price,
        succeeded=len(won),
        wallet_counts=wallet_counts,
    )
    if wrong:
        raise SystemExit("oversell check failed: " + "; ".join(wrong))
    print("oversell check: passed")


if __name__ == "__main__":
    main()
