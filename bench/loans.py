"""Benchmark: ``finlife loans run-day`` over 100,000 active loans on PostgreSQL, checking itself.

    .venv/bin/python bench/loans.py --loans 100000

Seeds a fresh database by COPY: one customer, Class I deposit account and 12-month 等额本息 consumer
loan (120,000.00 at 4.10 %) each, paid out on a day of December 2026 spread over the 1st to the 28th,
serviced through the day before the bench day (2027-03-15): instalments 1 and 2 paid, the third
accruing. One loan in twenty has an empty repayment account. Ledger balances are seeded balanced
(a funding account takes the other side). Then it times ``finlife loans run-day --date 2027-03-15``
(the CLI as an operator runs it, process start included) and checks:
- the trial balance is zero;
- every loan's principal account holds its amount less the principal its instalments record paid;
- the interest receivable equals what the loans have accrued and not been paid (current accrual,
  penalty, unpaid interest of overdue instalments);
- the money that left the deposit accounts equals what the collections record;
- every loan is serviced through the day; the loans due that day are paid, or overdue when their
  account was empty;
- a second run of the day moves nothing.
Exits 1 on any failure; prints a JSON report (also written to bench/results/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).parent))
from finlife import schema
from finlife.kit.db import normalise_url
from finlife.lending.schedule import Method, add_months, schedule
from transfers import ROOT, bench_parser, fresh_database

DAY = date(2027, 3, 15)
AMOUNT, TERM, RATE = 120_000_00, 12, 410
DEPOSIT = 20_000_00
NOW = datetime(2027, 3, 14, 16, tzinfo=UTC)


def _copy(conn: psycopg.Connection[Any], table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def seed(url: str, count: int) -> dict[str, int]:
    lines = schedule(AMOUNT, TERM, RATE, Method.EQUAL_INSTALMENT)
    customers, ledger, deposits, loans, instalments = [], [], [], [], []
    signed_total = 0
    accrued_total = 0
    for i in range(1, count + 1):
        value_date = date(2026, 12, 1 + i % 28)
        dues = [add_months(value_date, n) for n in range(1, TERM + 1)]
        starts = [value_date, *dues[:-1]]
        elapsed = (date(2027, 3, 14) - starts[2]).days
        accrued = (
            lines[2].interest * max(0, min(elapsed, (dues[2] - starts[2]).days)) // (dues[2] - starts[2]).days
        )
        accrued_total += accrued
        balance = 0 if i % 20 == 0 else DEPOSIT
        outstanding = AMOUNT - lines[0].principal - lines[1].principal
        customers.append((f"cus_b{i}", f"客户{i}", f"138{i:08d}", "verified_in_person", "active", NOW))
        ledger.append((f"lac_d{i}", f"deposit:b{i}", "deposit", "liability", "credit", -balance))
        ledger.append((f"lac_l{i}", f"loan:lon_b{i}", "loan", "asset", "debit", outstanding))
        signed_total += outstanding - balance
        deposits.append(
            (
                i,
                f"acc_b{i}",
                f"62{i:017d}",
                f"cus_b{i}",
                "I",
                "active",
                "CNY",
                f"lac_d{i}",
                False,
                "branch",
                NOW,
            )
        )
        loans.append(
            (
                i,
                f"lon_b{i}",
                1,
                f"cus_b{i}",
                "active",
                "CNY",
                AMOUNT,
                TERM,
                "equal_instalment",
                RATE,
                100,
                50,
                0,
                f"acc_b{i}",
                50_000_00,
                "[]",
                "[]",
                "[]",
                f"jny_b{i}",
                "usr_bench",
                value_date,
                f"acc_b{i}",
                f"lac_l{i}",
                3,
                accrued,
                0,
                0,
                "normal",
                date(2027, 3, 14),
                NOW,
            )
        )
        for n, (line, start, due) in enumerate(zip(lines, starts, dues, strict=True), start=1):
            paid = n <= 2
            instalments.append(
                (
                    i,
                    n,
                    start,
                    due,
                    line.principal,
                    line.interest,
                    line.principal if paid else 0,
                    line.interest if paid else 0,
                    "paid" if paid else "scheduled",
                )
            )
    receivable = accrued_total
    ledger.append(
        (
            "lac_recv",
            "bank:loan_interest_receivable:HQ:CNY",
            "interest receivable",
            "asset",
            "debit",
            receivable,
        )
    )
    ledger.append(
        ("lac_inc", "bank:loan_interest_income:HQ:CNY", "interest income", "income", "credit", -receivable)
    )
    ledger.append(("lac_fund", "bench:funding", "funding", "equity", "credit", -signed_total))
    with psycopg.connect(normalise_url(url).replace("postgresql+psycopg://", "postgresql://")) as conn:
        _copy(
            conn, "customers", ["public_id", "name", "phone", "kyc_level", "status", "created_at"], customers
        )
        _copy(
            conn,
            "ledger_accounts",
            [
                "public_id",
                "code",
                "name",
                "kind",
                "normal_side",
                "balance",
                "currency",
                "held",
                "allow_overdraft",
                "created_at",
            ],
            [(*row[:5], row[5], "CNY", 0, row[1].startswith(("bank:", "bench:")), NOW) for row in ledger],
        )
        _copy(
            conn,
            "deposit_accounts",
            [
                "id",
                "public_id",
                "number",
                "customer_id",
                "account_class",
                "status",
                "currency",
                "ledger_account_id",
                "bound_verified",
                "opened_channel",
                "opened_at",
            ],
            deposits,
        )
        conn.execute(
            "INSERT INTO loan_products (id, public_id, name, kind, currency, min_amount, max_amount,"
            " min_term_months, max_term_months, reference_rate, spread_bp, repricing, methods, max_dti_bp,"
            " penalty_markup_pct, fee, active, created_by, created_at) VALUES (1, 'lpr_bench', 'bench',"
            " 'consumer', 'CNY', 1, 100000000000, 1, 360, 'lpr_1y', 100, 'fixed', '[\"equal_instalment\"]',"
            " 5000, 50, 0, true, 'usr_bench', now())"
        )
        _copy(
            conn,
            "loans",
            [
                "id",
                "public_id",
                "product_pk",
                "customer_id",
                "status",
                "currency",
                "amount",
                "term_months",
                "method",
                "rate_bp",
                "spread_bp",
                "penalty_markup_pct",
                "fee",
                "repayment_account_id",
                "monthly_income",
                "documents",
                "approvals",
                "property",
                "journey_id",
                "entered_by",
                "value_date",
                "disbursed_to",
                "ledger_account_id",
                "current_n",
                "accrued",
                "penalty_due",
                "days_past_due",
                "classification",
                "serviced_through",
                "created_at",
            ],
            loans,
        )
        _copy(
            conn,
            "loan_instalments",
            [
                "loan_pk",
                "n",
                "period_start",
                "due_date",
                "principal",
                "interest",
                "paid_principal",
                "paid_interest",
                "status",
            ],
            instalments,
        )
        for table in ("deposit_accounts", "loans"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {count})")
        conn.execute("UPDATE loans SET property = NULL")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    return {"loans": count, "instalments": len(instalments), "receivable": receivable}


def run_day(url: str) -> tuple[float, str]:
    env = os.environ | {"FINLIFE_DATABASE_URL": url, "COLUMNS": "120"}
    started = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/finlife"), "loans", "run-day", "--date", DAY.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"run-day failed:\n{done.stdout}\n{done.stderr}")
    return elapsed, done.stdout


CHECKS = {
    "trial_balance": "SELECT sum(balance) FROM ledger_accounts",
    "principal_mismatches": (
        "SELECT count(*) FROM loans l JOIN ledger_accounts a ON a.public_id = l.ledger_account_id"
        " WHERE a.balance <> l.amount"
        " - (SELECT sum(paid_principal) FROM loan_instalments i WHERE i.loan_pk = l.id)"
    ),
    "receivable_gap": (
        "SELECT (SELECT balance FROM ledger_accounts WHERE code = 'bank:loan_interest_receivable:HQ:CNY')"
        " - (SELECT sum(accrued + penalty_due) FROM loans)"
        " - (SELECT coalesce(sum(interest - paid_interest), 0)"
        "    FROM loan_instalments WHERE status = 'overdue')"
    ),
    "collected_gap": (
        "SELECT (SELECT sum(d.balance) FROM ledger_accounts d WHERE d.code LIKE 'deposit:%%')"
        f" + (SELECT count(*) FROM loans WHERE id %% 20 <> 0) * {DEPOSIT}"
        " - (SELECT coalesce(sum((p.amount)), 0) FROM postings p JOIN journal_entries e ON e.id = p.entry_id"
        "    JOIN ledger_accounts a ON a.id = p.ledger_account_id"
        "    WHERE e.kind = 'loan_collection' AND a.code LIKE 'deposit:%%')"
    ),
    "not_serviced": f"SELECT count(*) FROM loans WHERE serviced_through <> '{DAY.isoformat()}'",
    "due_today_unpaid_with_money": (
        f"SELECT count(*) FROM loan_instalments i JOIN loans l ON l.id = i.loan_pk WHERE i.due_date = '{DAY}'"
        " AND i.status <> 'paid' AND l.id % 20 <> 0"
    ),
    "due_today_empty_not_overdue": (
        f"SELECT count(*) FROM loan_instalments i JOIN loans l ON l.id = i.loan_pk WHERE i.due_date = '{DAY}'"
        " AND i.status <> 'overdue' AND l.id % 20 = 0"
    ),
}


def check(url: str) -> dict[str, int]:
    with psycopg.connect(normalise_url(url).replace("postgresql+psycopg://", "postgresql://")) as conn:
        return {
            name: int(conn.execute(sql.replace("%%", "%")).fetchone()[0] or 0) for name, sql in CHECKS.items()
        }  # type: ignore[index]


def entries(url: str) -> int:
    with psycopg.connect(normalise_url(url).replace("postgresql+psycopg://", "postgresql://")) as conn:
        return int(conn.execute("SELECT count(*) FROM journal_entries").fetchone()[0])  # type: ignore[index]


def main() -> None:
    parser = bench_parser(__doc__)
    parser.add_argument("--loans", type=int, default=100_000)
    args = parser.parse_args()
    url = fresh_database(args.postgres, "finlife_bench_loans")
    schema.upgrade(url)
    started = time.perf_counter()
    seeded = seed(url, args.loans)
    seeding = time.perf_counter() - started
    seconds, output = run_day(url)
    figures = check(url)
    booked = entries(url)
    again, _ = run_day(url)
    figures["entries_added_by_second_run"] = entries(url) - booked
    failures = {name: value for name, value in figures.items() if value != 0}
    report = {
        "loans": seeded["loans"],
        "instalments": seeded["instalments"],
        "seed_seconds": round(seeding, 1),
        "run_day_seconds": round(seconds, 1),
        "loans_per_second": round(seeded["loans"] / seconds),
        "second_run_seconds": round(again, 1),
        "journal_entries": booked,
        "checks": figures,
        "ok": not failures,
        "cli": output.strip().splitlines()[-2:],
    }
    out = ROOT / "bench/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "loans.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
