"""Benchmark: discovery over 100,000 stores on PostgreSQL — nearby (position and radius) and text search.

    make bench-discovery   (or: .venv/bin/python bench/discovery.py --stores 100000 --seconds 20 --clients 8)

Seeds a fresh database by COPY: merchants, their stores spread over greater Shanghai (names made of
brand, dish and suffix, e.g. "老码头火锅南京路店"), goods for a share of the merchants, and the search
documents exactly as finlife.search makes them (jieba words, pairs, characters), and ``--orders`` paid
orders of the last 29 days on a long tail of stores (popularity is counted from them), with each
store's popularity count as the cashier keeps it (cashier.service.popularity). Then serves finlife
with uvicorn and drives GET /v1/life/merchants from keep-alive clients for a fixed time per phase:

    nearby   lat/lng at a random point, radius_m 500–3,000, nearest first
    text     q = a dish, brand or goods word, most popular first (no position)
    both     q and lat/lng/radius_m together

Each phase runs with one client (the latency of a request on its own), then with ``--clients``
(throughput, and latency with queueing). Prints p50/p99 latency and requests/s. First it checks that
the answers are right: every store within the radius, nearest first; the first store found by a
word holds it in its name, category, merchant's name or goods; "most popular first" is in order and
each store's popularity is its seeded paid orders. Results go to bench/results/.

To iterate: ``--reuse`` serves the database the last run seeded (same options; its paid orders are
counted again from the database), ``--phases nearby,both`` drives only those, and ``--profile PREFIX``
records each worker with py-spy during each phase's many-client run.
"""

from __future__ import annotations

import asyncio
import json
import math
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import psycopg
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.kit.db import normalise_url
from finlife.kit.geo import distance_m
from finlife.search import text
from loadgen import Result, run
from transfers import (
    ROOT,
    backend_cpu_seconds,
    bench_arguments,
    cpu_seconds,
    free_port,
    fresh_database,
    start_profilers,
    start_server,
)

SECRET = "bench-secret-key-0123456789abcdef0123456789"
DATABASE = "finlife_bench_discovery"
# Greater Shanghai, in micro-degrees: about 67 km north-south and 76 km east-west.
SOUTH, NORTH = 30_900_000, 31_500_000
WEST, EAST = 121_100_000, 121_900_000

BRANDS = [
    "老码头",
    "小杨",
    "阿大",
    "王记",
    "张姐",
    "蜀香",
    "粤味轩",
    "江南春",
    "金牌",
    "好运来",
    "湘里人家",
    "北京",
    "兰州",
    "沙县",
    "重庆",
    "成都",
    "潮汕",
    "东北",
    "台湾",
    "西贝",
    "外婆家",
    "鲜丰",
    "大福",
    "喜乐",
]
DISHES = {
    "hotpot": ["火锅", "麻辣烫", "串串香"],
    "noodles": ["面馆", "拉面", "米线", "馄饨"],
    "dumplings": ["生煎", "小笼包", "饺子馆"],
    "coffee": ["咖啡", "咖啡馆"],
    "tea": ["奶茶", "茶饮", "鲜果茶"],
    "bbq": ["烧烤", "烤肉"],
    "fish": ["酸菜鱼", "烤鱼"],
    "bakery": ["面包房", "甜品", "蛋糕店"],
    "restaurant": ["川菜馆", "湘菜馆", "本帮菜", "茶餐厅", "烤鸭店"],
}
SUFFIXES = ["", "总店", "南京路店", "徐家汇店", "五角场店", "陆家嘴店", "静安寺店", "人民广场店", "旗舰店"]
GOODS = [
    "麻辣火锅底料",
    "鸳鸯锅",
    "毛肚",
    "肥牛卷",
    "拿铁咖啡",
    "美式咖啡",
    "卡布奇诺",
    "珍珠奶茶",
    "杨枝甘露",
    "葱油拌面",
    "红烧牛肉面",
    "鲜肉馄饨",
    "蟹粉小笼包",
    "生煎包",
    "酸菜鱼",
    "水煮鱼",
    "羊肉串",
    "烤鸡翅",
    "提拉米苏",
    "芝士蛋糕",
    "菠萝包",
    "蛋挞",
    "宫保鸡丁",
    "回锅肉",
    "红烧肉",
    "北京烤鸭",
    "扬州炒饭",
]
DISTRICTS = ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "浦东新区", "闵行区"]
QUERIES = [
    "火锅",
    "咖啡",
    "生煎",
    "小笼包",
    "奶茶",
    "面馆",
    "烤鸭",
    "酸菜鱼",
    "老码头",
    "拿铁",
    "蛋挞",
    "毛肚",
    "上海面馆",
    "重庆火锅",
    "鲜果茶",
    "馄饨",
    "coffee",
]


MERCHANT_COLUMNS = [
    "public_id",
    "legal_name",
    "credit_code",
    "mcc",
    "category",
    "applicant_user_id",
    "customer_id",
    "settlement_account_id",
    "status",
    "applied_at",
    "decided_at",
]
STORE_COLUMNS = [
    "public_id",
    "merchant_pk",
    "name",
    "address",
    "district",
    "latitude_micro",
    "longitude_micro",
    "category",
    "opening_hours",
    "status",
    "created_at",
]


@dataclass(frozen=True)
class Seeded:
    stores: int
    merchants: int
    merchants_with_goods: int
    items: int
    seconds: float
    paid_orders: dict[str, int]  # per store id


def _copy(conn: psycopg.Connection[Any], table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(
    url: str,
    *,
    stores: int,
    stores_per_merchant: int,
    goods_share: float,
    orders: int = 0,
    rng: random.Random,
) -> Seeded:
    """Merchants, stores, goods and search documents by COPY, in one transaction; then ANALYZE."""
    started = time.perf_counter()
    now = datetime(2026, 11, 30, tzinfo=UTC)
    merchant_count = math.ceil(stores / stores_per_merchant)
    active = ("active", now, now)  # status, applied, decided
    with psycopg.connect(normalise_url(url).replace("postgresql+psycopg", "postgresql")) as conn:
        merchants = []
        for m in range(merchant_count):
            brand = rng.choice(BRANDS)
            category = rng.choice(list(DISHES))
            merchants.append((f"mer_bench{m:07d}", f"上海{brand}餐饮{m}号有限公司", brand, category))
        _copy(
            conn,
            "merchants",
            MERCHANT_COLUMNS,
            [
                (
                    pid,
                    legal,
                    f"91310000{m:010d}",
                    "5812",
                    category,
                    f"usr_b{m}",
                    f"cus_b{m}",
                    f"acc_b{m}",
                    *active,
                )
                for m, (pid, legal, _brand, category) in enumerate(merchants)
            ],
        )
        pk_of = dict(conn.execute("SELECT public_id, id FROM merchants").fetchall())

        goods_of: dict[str, list[str]] = {}
        for pid, *_ in merchants:
            if rng.random() < goods_share:
                goods_of[pid] = rng.sample(GOODS, rng.randint(3, 8))
        _copy(
            conn,
            "catalog_items",
            ["public_id", "merchant_id", "name", "category", "created_at", "updated_at"],
            [
                (f"itm_b{m}_{i}", pid, name, "菜品", now, now)
                for m, (pid, names) in enumerate(goods_of.items())
                for i, name in enumerate(names)
            ],
        )
        item_pk = dict(conn.execute("SELECT public_id, id FROM catalog_items").fetchall())
        _copy(
            conn,
            "catalog_variations",
            ["public_id", "item_pk", "merchant_id", "name", "sku", "price", "created_at"],
            [
                (
                    f"var_b{m}_{i}",
                    item_pk[f"itm_b{m}_{i}"],
                    pid,
                    "标准",
                    f"B{m}-{i}",
                    rng.randint(800, 9_800),
                    now,
                )
                for m, (pid, names) in enumerate(goods_of.items())
                for i in range(len(names))
            ],
        )
        goods_tokens = {pid: text.document(names) for pid, names in goods_of.items()}
        _copy(conn, "search_merchant_goods", ["merchant_id", "tokens"], list(goods_tokens.items()))

        store_rows, documents = [], []
        for s in range(stores):
            pid, legal, brand, category = merchants[s // stores_per_merchant]
            name = f"{brand}{rng.choice(DISHES[category])}{rng.choice(SUFFIXES)}"[:64]
            store_id = f"sto_bench{s:07d}"
            place = (rng.choice(DISTRICTS), rng.randint(SOUTH, NORTH), rng.randint(WEST, EAST))
            store_rows.append(
                (
                    store_id,
                    pk_of[pid],
                    name,
                    f"上海市某路{s}号",
                    *place,
                    category,
                    "10:00-22:00",
                    "active",
                    now,
                )
            )
            own = text.document([name, category, legal])
            documents.append((store_id, pid, own, f"{own} {goods_tokens.get(pid, '')}".strip()))
        _copy(
            conn,
            "stores",
            STORE_COLUMNS,
            store_rows,
        )
        _copy(
            conn, "search_store_documents", ["store_id", "merchant_id", "store_tokens", "document"], documents
        )
        paid = _paid_orders(store_rows, merchants, orders, stores_per_merchant, rng)
        _copy(conn, "cashier_orders", ORDER_COLUMNS, paid)
        # Each store's popularity count as the cashier keeps it: its paid orders since the mark (none
        # yet: since the beginning), every seeded order being paid in the last 29 days.
        per_store = Counter(row[2] for row in paid)
        _copy(
            conn,
            "search_store_popularity",
            ["store_id", "popularity"],
            [(row[0], per_store.get(row[0], 0)) for row in store_rows],
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    items = sum(len(names) for names in goods_of.values())
    paid_orders = Counter(row[2] for row in paid)
    return Seeded(stores, merchant_count, len(goods_of), items, time.perf_counter() - started, paid_orders)


ORDER_COLUMNS = [
    "public_id",
    "merchant_id",
    "store_id",
    "terminal_id",
    "cashier_user_id",
    "status",
    "subtotal",
    "discount",
    "total",
    "paid",
    "refunded",
    "created_at",
    "paid_at",
]


def _paid_orders(
    store_rows: list[tuple[Any, ...]],
    merchants: list[tuple[str, str, str, str]],
    count: int,
    stores_per_merchant: int,
    rng: random.Random,
) -> list[tuple[Any, ...]]:
    """``count`` orders paid in the last 29 days, spread over the stores as a long tail (a few busy
    stores, most quiet), so that "most popular first" has real counts to rank and to read."""
    now = datetime.now(UTC)
    rows = []
    for n in range(count):
        rank = int(len(store_rows) * rng.random() ** 3)  # a fifth of the orders at the busiest 1 %
        s = (rank * 7_919) % len(store_rows)  # a prime: the busy ones scattered, not the first ids
        paid_at = now - timedelta(seconds=rng.randint(60, 29 * 86_400))
        amount = rng.randint(1_000, 20_000)
        merchant_id = merchants[s // stores_per_merchant][0]
        rows.append(
            (
                f"ord_b{n:08d}",
                merchant_id,
                store_rows[s][0],
                "ter_bench",
                "usr_bench",
                "paid",
                amount,
                0,
                amount,
                amount,
                0,
                paid_at,
                paid_at,
            )
        )
    return rows


def database_url(base_url: str, name: str) -> str:
    return make_url(normalise_url(base_url)).set(database=name).render_as_string(hide_password=False)


def reread(url: str) -> Seeded:
    """What a previous run seeded in the database (``--reuse``), its paid orders counted again."""
    with psycopg.connect(normalise_url(url).replace("postgresql+psycopg", "postgresql")) as conn:
        stores, merchants, items = (
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in ("stores", "merchants", "catalog_items")
        )
        with_goods = conn.execute("SELECT count(DISTINCT merchant_id) FROM catalog_items").fetchone()[0]  # type: ignore[index]
        paid = dict(
            conn.execute(
                "SELECT store_id, count(*) FROM cashier_orders WHERE status = 'paid' GROUP BY store_id"
            )
        )
    return Seeded(stores, merchants, with_goods, items, 0.0, paid)


def _point(rng: random.Random) -> tuple[str, str]:
    # Keep 5 km inside the edges so that a radius never reaches past the seeded area.
    lat = rng.randint(SOUTH + 45_000, NORTH - 45_000)
    lng = rng.randint(WEST + 55_000, EAST - 55_000)
    return f"{lat / 1e6:.6f}", f"{lng / 1e6:.6f}"


def nearby_query(rng: random.Random) -> dict[str, Any]:
    lat, lng = _point(rng)
    return {"lat": lat, "lng": lng, "radius_m": rng.choice([500, 1_000, 2_000, 3_000])}


def text_query(rng: random.Random) -> dict[str, Any]:
    return {"q": rng.choice(QUERIES)}


def both_query(rng: random.Random) -> dict[str, Any]:
    return nearby_query(rng) | {"q": rng.choice(QUERIES), "radius_m": 5_000}


# Queries whose every hit holds them as they are (the others may match by words apart: 上海 + 面馆).
WHOLE_WORDS = {q for q in QUERIES if q not in ("上海面馆", "重庆火锅")}
PHASES = {"nearby": nearby_query, "text": text_query, "both": both_query}


def check_answers(base: str, rng: random.Random, paid_orders: dict[str, int]) -> dict[str, float]:
    """Right answers before fast ones: radius and order kept; every text hit holds the word somewhere;
    "most popular first" in order, each store's popularity its paid orders as seeded."""
    counts: dict[str, list[int]] = {phase: [] for phase in PHASES}
    with httpx.Client(base_url=base, headers={"X-Channel": "mobile"}, timeout=60) as client:
        for phase, make in PHASES.items():
            for _ in range(10):
                params = make(rng)
                found = client.get("/v1/life/merchants", params=params)
                found.raise_for_status()
                stores = found.json()
                counts[phase].append(len(stores))
                if "radius_m" in params:
                    distances = [s["distance_m"] for s in stores]
                    assert distances == sorted(distances), params
                    here = (round(float(params["lat"]) * 1e6), round(float(params["lng"]) * 1e6))
                    for s in stores:
                        there = (round(float(s["latitude"]) * 1e6), round(float(s["longitude"]) * 1e6))
                        assert distance_m(here, there) <= params["radius_m"] + 1, (params, s)
                if "lat" not in params:  # most popular first
                    popularity = [s["popularity"] for s in stores]
                    assert popularity == sorted(popularity, reverse=True), (params, popularity)
                    assert all(s["popularity"] == paid_orders.get(s["store_id"], 0) for s in stores), params
                if params.get("q") in WHOLE_WORDS and stores:
                    page = client.get(f"/v1/life/merchants/{stores[0]['store_id']}").json()
                    words = [page["name"], page["category"], page["merchant_name"]]
                    words += [g["name"] for g in page["goods"]]
                    assert any(params["q"].lower() in w.lower() for w in words), (params, words)
    return {phase: sum(c) / len(c) for phase, c in counts.items()}


def drive(port: int, phase: str, clients: int, seconds: float, seed_value: int) -> Result:
    rng = random.Random(seed_value)
    make = PHASES[phase]

    def request(_: int) -> tuple[str, dict[str, str], bytes]:
        return f"/v1/life/merchants?{urlencode(make(rng))}", {"X-Channel": "mobile"}, b""

    return asyncio.run(
        run("127.0.0.1", port, clients=clients, seconds=seconds, make_request=request, method="GET")
    )


def main() -> None:
    parser = bench_arguments(__doc__)
    parser.set_defaults(clients=8)
    parser.add_argument("--stores", type=int, default=100_000)
    parser.add_argument("--stores-per-merchant", type=int, default=4)
    parser.add_argument("--goods-share", type=float, default=0.3, help="share of merchants with goods")
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders paid in the last 29 days")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="serve the database a previous run seeded (same options) instead of seeding it again",
    )
    parser.add_argument("--phases", default=",".join(PHASES), help="the phases to drive, e.g. nearby,both")
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="record each worker with py-spy during each phase's many-client run (PREFIX-<phase>-<pid>.txt)",
    )
    args = parser.parse_args()
    phases = [phase for phase in args.phases.split(",") if phase]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")

    if args.reuse:
        url = database_url(args.postgres, DATABASE)
        seeded = reread(url)
    else:
        url = fresh_database(args.postgres, DATABASE)
        schema.upgrade(url)
        rng = random.Random(17)
        print(f"seeding {args.stores:,} stores by COPY …", flush=True)
        seeded = seed(
            url,
            stores=args.stores,
            stores_per_merchant=args.stores_per_merchant,
            goods_share=args.goods_share,
            orders=args.orders,
            rng=rng,
        )
    print(
        f"seeded {seeded.stores:,} stores of {seeded.merchants:,} merchants, {seeded.items:,} goods of "
        f"{seeded.merchants_with_goods:,} merchants, in {seeded.seconds:.1f} s",
        flush=True,
    )
    port = free_port()
    server = start_server(url, port, args.workers, {"FINLIFE_SECRET_KEY": SECRET})
    # One client: the latency of a request alone. Then many: throughput, and latency with queueing.
    loads = sorted({1, args.clients})
    results: dict[tuple[str, int], Result] = {}
    # CPU per answered request in each phase (finlife's processes; PostgreSQL's backends of this
    # database): on a shared machine the rates move with the load, the CPU per request far less.
    cpu_ms: dict[tuple[str, int], tuple[float | None, float]] = {}
    try:
        base = f"http://127.0.0.1:{port}"
        mean_found = check_answers(base, random.Random(3), seeded.paid_orders)
        print(
            "answers checked; stores per answer: " + ", ".join(f"{k} {v:.1f}" for k, v in mean_found.items())
        )
        for number, phase in enumerate(PHASES):
            if phase not in phases:
                continue
            drive(port, phase, max(loads), 3, 100 + number)  # warm-up: jieba's dictionary, plans, caches
            for clients in loads:
                print(f"driving {phase}: {clients} client(s) × {args.seconds}s …", flush=True)
                profile = args.profile and clients == max(loads)
                profilers = (
                    start_profilers(server.pid, f"{args.profile}-{phase}", args.seconds) if profile else []
                )
                finlife_before, backends_before = cpu_seconds(server.pid), backend_cpu_seconds(DATABASE)
                results[phase, clients] = drive(port, phase, clients, args.seconds, number)
                for profiler in profilers:
                    profiler.wait(timeout=60)
                finlife_after, backends_after = cpu_seconds(server.pid), backend_cpu_seconds(DATABASE)
                answered = max(results[phase, clients].statuses.get(200, 0), 1)
                backends = sum(used - backends_before.get(pid, 0.0) for pid, used in backends_after.items())
                cpu_ms[phase, clients] = (
                    (finlife_after - finlife_before) * 1000 / answered
                    if finlife_before is not None and finlife_after is not None
                    else None,
                    backends * 1000 / answered,
                )
    finally:
        server.terminate()
        server.wait(timeout=30)

    report: dict[str, Any] = {
        "stores": seeded.stores,
        "merchants": seeded.merchants,
        "goods": seeded.items,
        "seed_seconds": round(seeded.seconds, 1),
        "workers": args.workers,
        "seconds": args.seconds,
        "stores_per_answer": {k: round(v, 1) for k, v in mean_found.items()},
        "paid_orders": sum(seeded.paid_orders.values()),
    }
    lines = []
    for (phase, clients), result in results.items():
        ok = result.statuses.get(200, 0)
        figures = {
            "requests_per_s": round(ok / result.elapsed, 1),
            "p50_ms": round(result.percentile(50) * 1000, 2),
            "p99_ms": round(result.percentile(99) * 1000, 2),
            "statuses": result.statuses,
            "cpu_ms_finlife": round(cpu_ms[phase, clients][0] or 0.0, 2),
            "cpu_ms_postgres": round(cpu_ms[phase, clients][1], 2),
        }
        report[f"{phase}_{clients}_clients"] = figures
        lines.append(
            f"{phase:7s} {clients:2d} client(s): p50 {figures['p50_ms']:7.1f} ms · "
            f"p99 {figures['p99_ms']:7.1f} ms · {figures['requests_per_s']:6.0f} req/s · CPU per request "
            f"finlife {figures['cpu_ms_finlife']:.2f} ms, PostgreSQL {figures['cpu_ms_postgres']:.2f} ms"
        )
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"discovery-{time.time_ns():x}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False)
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))
    print("\n" + "\n".join(lines))
    failed = {f"{p} ×{c}": r.statuses for (p, c), r in results.items() if set(r.statuses) - {200}}
    if failed:
        raise SystemExit(f"non-200 answers: {failed}")


if __name__ == "__main__":
    main()
