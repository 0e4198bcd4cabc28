"""Benchmark: ``finlife wealth sweep`` over 100,000 swept accounts on PostgreSQL (goal < 60 s).

    .venv/bin/python bench/wealth.py [--accounts 100000] [--postgres postgresql://…]

Seeds a fresh database: one money-market fund, ``--accounts`` Class I deposit accounts funded by
balanced opening entries (random balances, some below what they keep), each with a sweep keeping a
random amount. Then runs the command an operator schedules, ``finlife wealth sweep --date``, in a
process of its own, and times it. Checks, exiting 1 on any failure:

- every account now holds min(its balance, keep) and its holding max(balance − keep, 0) units;
- every sweep is marked swept for the day, and a second run sweeps nothing;
- the fund's custody account holds exactly the sum of the units, and the trial balance is zero.

Results go to bench/results/wealth.json.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, insert, select, update

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.accounts.models import DepositAccount
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database, table_of
from finlife.ledger import service as ledger
from finlife.ledger.models import JournalEntry, LedgerAccount, Posting
from finlife.ledger.schemas import BankPurpose
from finlife.wealth import service as wealth
from finlife.wealth.models import Fund, Holding, Sweep
from transfers import ROOT, bench_parser, drop_database, fresh_database

DAY = date(2026, 12, 4)  # a Friday, a business day
CHUNK = 5_000


def seed(database: Database, count: int) -> tuple[str, dict[str, tuple[int, int]]]:
    """(fund id, account id → (opening balance, keep)).

    The opening balances are written as the ledger writes an entry (one journal entry per chunk,
    its postings with their balance_after, the balances), in bulk statements: a 5,000-line entry
    through ``ledger.post`` spends minutes in its one-statement balance update, which is not what
    this benchmark measures."""
    rng = random.Random(count)
    actor = Actor.system()
    with database.unit_of_work() as session:
        fund_id = wealth.create_fund(session, actor, code="BENCH", name="Bench MMF", currency="CNY").id
        fund_pk = session.execute(select(Fund.id).where(Fund.public_id == fund_id)).scalar_one()
        vault = ledger.bank_account(session, BankPurpose.CASH_VAULT, unit="BENCH").id
    now = clock.now()
    plan: dict[str, tuple[int, int]] = {}
    accounts, entries, postings = table_of(LedgerAccount), table_of(JournalEntry), table_of(Posting)
    for start in range(0, count, CHUNK):
        ledger_rows, deposit_rows, sweep_rows = [], [], []
        for i in range(start, min(start + CHUNK, count)):
            lac, account = f"lac_bench{i:09d}", f"acc_bench{i:09d}"
            balance, keep = rng.randint(1, 2_000_000), rng.choice((0, 10_000, 50_000, 100_000))
            plan[account] = (balance, keep)
            ledger_rows.append(
                {
                    "public_id": lac,
                    "code": f"deposit:bench:{i}",
                    "name": f"bench {i}",
                    "kind": "liability",
                    "normal_side": "credit",
                    "currency": "CNY",
                    "balance": -balance,
                    "held": 0,
                    "allow_overdraft": False,
                    "balance_cap": None,
                    "created_at": now,
                }
            )
            deposit_rows.append(
                {
                    "public_id": account,
                    "number": f"62{i:017d}",
                    "customer_id": f"cus_bench{i:09d}",
                    "account_class": "I",
                    "status": "active",
                    "currency": "CNY",
                    "ledger_account_id": lac,
                    "bound_verified": False,
                    "opened_channel": "branch",
                    "opened_at": now,
                }
            )
            sweep_rows.append(
                {
                    "account_id": account,
                    "ledger_account_id": lac,
                    "customer_id": f"cus_bench{i:09d}",
                    "fund_pk": fund_pk,
                    "keep": keep,
                    "swept_on": None,
                    "updated_at": now,
                }
            )
        with database.unit_of_work() as session:
            session.execute(insert(accounts), ledger_rows)
            session.execute(insert(table_of(DepositAccount)), deposit_rows)
            session.execute(insert(table_of(Sweep)), sweep_rows)
            entry_pk = session.execute(
                insert(entries)
                .values(
                    public_id=f"ent_bench{start:09d}",
                    kind="bench.opening",
                    memo="opening",
                    details={},
                    actor_user_id=None,
                    channel="web",
                    created_at=now,
                )
                .returning(entries.c.id)
            ).scalar_one()
            ids = dict(
                session.execute(
                    select(accounts.c.public_id, accounts.c.id).where(
                        accounts.c.public_id.in_([row["public_id"] for row in ledger_rows])
                    )
                ).all()
            )
            total = sum(-row["balance"] for row in ledger_rows)
            vault_row = session.execute(
                update(accounts)
                .where(accounts.c.public_id == vault)
                .values(balance=accounts.c.balance + total)
                .returning(accounts.c.id, accounts.c.balance)
            ).one()
            session.execute(
                insert(postings),
                [
                    {
                        "entry_id": entry_pk,
                        "ledger_account_id": ids[row["public_id"]],
                        "amount": row["balance"],
                        "currency": "CNY",
                        "balance_after": -row["balance"],
                    }
                    for row in ledger_rows
                ]
                + [
                    {
                        "entry_id": entry_pk,
                        "ledger_account_id": vault_row.id,
                        "amount": total,
                        "currency": "CNY",
                        "balance_after": vault_row.balance,
                    }
                ],
            )
        print(f"  seeded {min(start + CHUNK, count)} accounts", flush=True)
    return fund_id, plan


def check(database: Database, plan: dict[str, tuple[int, int]]) -> list[str]:
    failures = []
    with database.unit_of_work() as session:
        balances = dict(
            session.execute(
                select(DepositAccount.public_id, LedgerAccount.balance).join(
                    LedgerAccount, LedgerAccount.public_id == DepositAccount.ledger_account_id
                )
            ).all()
        )
        units = dict(session.execute(select(Holding.account_id, Holding.units)).all())
        for account, (opening, keep) in plan.items():
            if -balances[account] != min(opening, keep):
                failures.append(f"{account}: balance {-balances[account]}, expected {min(opening, keep)}")
            if units.get(account, 0) != max(opening - keep, 0):
                failures.append(
                    f"{account}: units {units.get(account, 0)}, expected {max(opening - keep, 0)}"
                )
        not_swept = session.execute(select(func.count()).where(Sweep.swept_on != DAY)).scalar_one()
        if not_swept:
            failures.append(f"{not_swept} sweeps not marked swept")
        fund = wealth.list_funds(session)[0]
        custody = ledger.balance(session, fund.custody_account_id).ledger
        if custody != sum(units.values()):
            failures.append(f"custody {custody} != units {sum(units.values())}")
        total = ledger.trial_balance(session).total
        if total != 0:
            failures.append(f"trial balance {total}")
    return failures[:20]


def sweep_command(url: str) -> tuple[float, str]:
    env = {**os.environ, "FINLIFE_DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/finlife"), "wealth", "sweep", "--date", DAY.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"finlife wealth sweep failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    name = "finlife_bench_wealth"
    url = fresh_database(args.postgres, name)
    schema.upgrade(url)
    database = Database(url)
    try:
        print(f"seeding {args.accounts} swept accounts", flush=True)
        _, plan = seed(database, args.accounts)
        seconds, summary = sweep_command(url)
        print(f"sweep: {seconds:.1f} s ({summary})", flush=True)
        again, second = sweep_command(url)
        print(f"second run: {again:.1f} s ({second})", flush=True)
        failures = check(database, plan)
        if "0 accounts" not in second:
            failures.append(f"the second run swept again: {second}")
    finally:
        database.dispose()
        if not args.keep:
            drop_database(args.postgres, name)
    result = {
        "accounts": args.accounts,
        "sweep_seconds": round(seconds, 1),
        "goal_seconds": 60,
        "second_run_seconds": round(again, 1),
        "failures": failures,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "wealth.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    if failures or seconds >= 60:
        sys.exit(1)


if __name__ == "__main__":
    main()
