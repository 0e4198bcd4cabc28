"""Benchmark: a month-end P&L of a merchant with 1,000,000 orders, on PostgreSQL.

    .venv/bin/python bench/books.py [--orders 1000000] [--requests 200]

A fresh database; one merchant (the demo's) with three stores. The month's orders are written in bulk
as the books' consumer writes them (an entry per sale: the tender into the drawer or owed by the bank,
sales of its tender, the fee accrued), the totals (``book_day_totals``, ``book_totals``) built from
those lines, and a
second merchant's 100,000 orders beside them. A few hundred more orders go through the real path
(outbox events delivered by the relay to the books' consumer) and the month's rent through the
books' own writer, so the figures mix both.

Then ``GET /v1/merchants/{id}/books/pnl`` (by month, and by day) is asked ``--requests`` times each
through the app in this process, signed in as bank staff. Every answer is checked: the month's figures
equal those computed from the generator (and the same aggregation over the lines themselves), and
the daily rows add up to the monthly one. Prints p50/p99 of the requests, PostgreSQL's own time for
the query (EXPLAIN ANALYZE) and the machine's load; exits 1 on a wrong figure or when p99 is above
the 200 ms goal.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from faker import Faker
from fastapi.testclient import TestClient
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.app import create_app
from finlife.books import catalogue as c
from finlife.books.service import ensure_subscribed
from finlife.books.service.journal import Draft, Posting, write
from finlife.demo.common import seeding_settings
from finlife.demo.merchants import open_shop
from finlife.events.consumers import Registry
from finlife.events.relay import EmbeddedSink, Relay
from finlife.identity import service as identity
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.outbox import publish
from finlife.settings import Settings
from transfers import bench_parser, drop_database, fresh_database

MONTH_START, MONTH_END = date(2026, 3, 1), date(2026, 3, 31)
DAYS = 31
METHODS = ("cash", "card", "qr", "code")
SECRET = "bench-secret-key-0123456789abcdef0123456789"
ADMIN_PASSWORD = "bench-admin-pass"
RENT = 1_200_000
REAL_ORDERS = 300
GOAL_MS = 200.0


def amount_of(i: int) -> int:
    return 500 + (i * 7919) % 30_000


def fee_of(i: int) -> int:
    return 0 if METHODS[i % 4] == "cash" else amount_of(i) * 6 // 1000


def bulk_orders(db: Database, merchant_id: str, stores: list[str], orders: int, offset: int) -> None:
    """``orders`` sales entries, their lines and day totals, as the consumer would have written them."""
    store_array = "ARRAY[" + ",".join(f"'{s}'" for s in stores) + "]"
    generator = f"""
        SELECT i, DATE '{MONTH_START}' + (i % {DAYS}) AS day, i % 24 AS hour,
               ({store_array})[1 + i % {len(stores)}] AS store_id,
               (ARRAY['cash','card','qr','code'])[1 + i % 4] AS method,
               500 + (i::bigint * 7919) % 30000 AS amount
        FROM generate_series({offset}, {offset + orders - 1}) AS i
    """
    with db.unit_of_work() as session:
        session.execute(
            text(f"""
            INSERT INTO book_entries
                (public_id, merchant_id, day, kind, note, store_id, source_event, created_at)
            SELECT 'ben_bench' || i, '{merchant_id}', day, 'sale', '', store_id, 'evt_bench' || i, now()
            FROM ({generator}) g
        """)
        )
        session.execute(
            text(f"""
            INSERT INTO book_lines (entry_pk, account, amount)
            SELECT e.id, x.account, x.amount
            FROM ({generator}) g
            JOIN book_entries e ON e.source_event = 'evt_bench' || g.i
            CROSS JOIN LATERAL (VALUES
                (CASE WHEN g.method = 'cash' THEN '{c.DRAWER}' ELSE '{c.PENDING}' END, g.amount),
                ('revenue:sales:' || g.method, -g.amount),
                ('{c.FEES}', CASE WHEN g.method = 'cash' THEN 0 ELSE g.amount * 6 / 1000 END),
                ('{c.FEES_PAYABLE}', CASE WHEN g.method = 'cash' THEN 0 ELSE -(g.amount * 6 / 1000) END)
            ) AS x(account, amount)
            WHERE x.amount <> 0
        """)
        )
        session.execute(
            text(f"""
            INSERT INTO book_totals (merchant_id, day, hour, store_id, account, debit, credit)
            SELECT '{merchant_id}', g.day, g.hour, g.store_id, l.account,
                   SUM(GREATEST(l.amount, 0)), SUM(GREATEST(-l.amount, 0))
            FROM ({generator}) g
            JOIN book_entries e ON e.source_event = 'evt_bench' || g.i
            JOIN book_lines l ON l.entry_pk = e.id
            GROUP BY g.day, g.hour, g.store_id, l.account
            ON CONFLICT (merchant_id, day, hour, store_id, account) DO UPDATE
            SET debit = book_totals.debit + EXCLUDED.debit, credit = book_totals.credit + EXCLUDED.credit
        """)
        )
        session.execute(
            text(f"""
            INSERT INTO book_day_totals (merchant_id, day, account, debit, credit)
            SELECT '{merchant_id}', g.day, l.account, SUM(GREATEST(l.amount, 0)), SUM(GREATEST(-l.amount, 0))
            FROM ({generator}) g
            JOIN book_entries e ON e.source_event = 'evt_bench' || g.i
            JOIN book_lines l ON l.entry_pk = e.id
            GROUP BY g.day, l.account
            ON CONFLICT (merchant_id, day, account) DO UPDATE
            SET debit = book_day_totals.debit + EXCLUDED.debit,
                credit = book_day_totals.credit + EXCLUDED.credit
        """)
        )
        for table in ("book_entries", "book_lines", "book_totals", "book_day_totals"):
            session.execute(text(f"ANALYZE {table}"))


def real_orders(db: Database, merchant_id: str, store_id: str) -> None:
    """Orders through the real path: ``payment.approved`` events the relay hands to the books."""
    for n in range(REAL_ORDERS):
        i = 10_000_000 + n
        clock.freeze(datetime(2026, 3, 1 + n % DAYS, 4, 0, tzinfo=UTC))
        with db.unit_of_work() as session:
            publish(
                session,
                "payment.approved",
                {
                    "payment_id": f"pay_b{n}",
                    "merchant_id": merchant_id,
                    "store_id": store_id,
                    "method": METHODS[i % 4],
                    "amount": amount_of(i),
                    "fee": fee_of(i),
                    "entry_id": None,
                },
            )
    clock.reset()
    registry = Registry()
    ensure_subscribed(registry)
    Relay(db, EmbeddedSink(db, registry)).drain()


def book_rent(db: Database, merchant_id: str) -> None:
    """The month's rent, written as the owner's entry is (``journal.write``, totals kept beside it)."""
    lines = [Posting("expense:rent", RENT), Posting(c.BANK, -RENT)]
    draft = Draft(
        merchant_id=merchant_id, day=MONTH_END, hour=0, kind="expense", category="rent", lines=lines
    )
    with db.unit_of_work() as session:
        write(session, draft)


def expected_month(orders: int) -> dict[str, int]:
    revenue = sum(amount_of(i) for i in range(orders)) + sum(
        amount_of(10_000_000 + n) for n in range(REAL_ORDERS)
    )
    fees = sum(fee_of(i) for i in range(orders)) + sum(fee_of(10_000_000 + n) for n in range(REAL_ORDERS))
    return {
        "revenue": revenue,
        "fees": fees,
        "coupon_cost": 0,
        "expenses": RENT,
        "other_income": 0,
        "profit": revenue - fees - RENT,
    }


def from_lines(db: Database, merchant_id: str) -> dict[str, int]:
    """The month's revenue and fees summed over every line (the slow way): the totals must agree."""
    with db.unit_of_work() as session:
        rows = session.execute(
            text("""
                SELECT l.account, SUM(l.amount) FROM book_lines l JOIN book_entries e ON e.id = l.entry_pk
                WHERE e.merchant_id = :m AND e.day BETWEEN :a AND :b GROUP BY l.account
            """),
            {"m": merchant_id, "a": MONTH_START, "b": MONTH_END},
        ).all()
    sums: dict[str, int] = {str(account): int(total) for account, total in rows}
    return {
        "revenue": -sum(int(v) for k, v in sums.items() if k.startswith("revenue:")),
        "fees": int(sums.get(c.FEES, 0)),
    }


def timed(client: TestClient, url: str, token: str, requests: int) -> tuple[list[float], dict[str, Any]]:
    for _ in range(5):
        client.get(url, headers={"Authorization": f"Bearer {token}"})
    samples: list[float] = []
    answer: dict[str, Any] = {}
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, headers={"Authorization": f"Bearer {token}"})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.text
        answer = response.json()
    return samples, answer


def query_time(db: Database, merchant_id: str) -> list[float]:
    """The month's P&L query (as ``books.service.reports.pnl`` asks it) timed by PostgreSQL itself."""
    sql = text("""
        EXPLAIN (ANALYZE, FORMAT JSON)
        SELECT day, account, sum(debit), sum(credit) FROM book_day_totals
        WHERE merchant_id = :m AND day >= :a AND day <= :b GROUP BY day, account
    """)
    times = []
    with db.unit_of_work() as session:
        for _ in range(20):
            plan = session.execute(sql, {"m": merchant_id, "a": MONTH_START, "b": MONTH_END}).scalar_one()
            times.append(round(float(plan[0]["Execution Time"]), 2))
    return times


def p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def main() -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    name = "finlife_bench_books"
    url = fresh_database(args.postgres, name)
    try:
        schema.upgrade(url)
        settings = seeding_settings(
            Settings(
                database_url=url, secret_key=SECRET, admin_password=ADMIN_PASSWORD, relay_in_server=False
            )
        )
        db = Database(url)
        with db.unit_of_work() as session:
            identity.ensure_admin(session, settings)
        rng, faker = random.Random(7), Faker("zh_CN")
        faker.seed_instance(7)
        shop = open_shop(db, settings, rng, faker, 0, Actor.system(), stores=3)
        other = open_shop(db, settings, rng, faker, 1, Actor.system(), stores=1)
        clock.reset()
        stores = sorted({till.store_id for till in shop.tills})
        started = time.perf_counter()
        bulk_orders(db, shop.merchant_id, stores, args.orders, 0)
        bulk_orders(db, other.merchant_id, [other.tills[0].store_id], 100_000, 20_000_000)
        real_orders(db, shop.merchant_id, stores[0])
        took = time.perf_counter() - started
        print(f"seeded {args.orders:,} orders (+{REAL_ORDERS} through the relay) in {took:.0f} s")
        with TestClient(create_app(settings)) as client:
            token = client.post(
                "/v1/auth/token",
                data={"grant_type": "password", "username": "admin", "password": ADMIN_PASSWORD},
                headers={"X-Channel": "web"},
            ).json()["access_token"]
            base = f"/v1/merchants/{shop.merchant_id}/books"
            book_rent(db, shop.merchant_id)
            query = f"from={MONTH_START}&to={MONTH_END}"
            month_samples, month = timed(client, f"{base}/pnl?{query}&by=month", token, args.requests)
            day_samples, daily = timed(client, f"{base}/pnl?{query}&by=day", token, args.requests)
            database_ms = query_time(db, shop.merchant_id)
    finally:
        clock.reset()
    wanted = expected_month(args.orders)
    failures = []
    got = {k: v for k, v in month["total"].items() if k != "period"}
    if got != wanted:
        failures.append(f"month total {got} != expected {wanted}")
    lines = from_lines(db, shop.merchant_id)
    if (lines["revenue"], lines["fees"]) != (wanted["revenue"], wanted["fees"]):
        failures.append(f"the lines say {lines}, the generator {wanted}")
    summed = {k: sum(row[k] for row in daily["rows"]) for k in wanted}
    if summed != got:
        failures.append(f"days sum to {summed}, the month is {got}")
    result = {
        "orders": args.orders,
        "month_p50_ms": p(month_samples, 0.5),
        "month_p99_ms": p(month_samples, 0.99),
        "daily_p50_ms": p(day_samples, 0.5),
        "daily_p99_ms": p(day_samples, 0.99),
        "mean_ms": round(statistics.mean(month_samples), 1),
        # PostgreSQL's own time for the month's P&L query (EXPLAIN ANALYZE), best and median of 20:
        # what the tables cost, apart from the HTTP stack and a busy machine's scheduling.
        "query_best_ms": min(database_ms),
        "query_median_ms": round(statistics.median(database_ms), 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(result)
    drop_database(args.postgres, name)
    if failures:
        print("WRONG:", *failures, sep="\n  ")
        return 1
    if max(result["month_p99_ms"], result["daily_p99_ms"]) > GOAL_MS:
        print(f"p99 above the {GOAL_MS:.0f} ms goal")
        return 1
    print(f"ok: figures checked, p99 within {GOAL_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
