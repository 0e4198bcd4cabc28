"""The batch's deposit-account lookup and its ledger-row lock (PostgreSQL) probe an index once per
id, whatever the planner believes of the tables: a transfer batch runs them with every account of
the batch, as prepared statements whose generic plans could otherwise scan every account."""

from __future__ import annotations

import pytest

from finlife.accounts import movements
from finlife.kit.db import Database
from finlife.ledger import posting
from tests.plans import generic_plan, scans_of

pytestmark = pytest.mark.postgres_only

THOUSAND_ACCOUNTS = """
INSERT INTO deposit_accounts (public_id, number, customer_id, account_class, status, currency,
    ledger_account_id, bound_verified, opened_channel, opened_at)
SELECT 'acc_plan_' || n, lpad(n::text, 19, '0'), 'cus_plan_' || n, 'I', 'active', 'CNY',
    'lac_plan_' || n, false, 'branch', now()
FROM generate_series(1, 1000) AS n
"""
THEIR_LEDGER_ROWS = """
INSERT INTO ledger_accounts
    (public_id, code, name, kind, normal_side, currency, balance, held, allow_overdraft, created_at)
SELECT 'lac_plan_' || n, 'plan.' || n, 'plan ' || n, 'deposit', 'credit', 'CNY', 0, 0, false, now()
FROM generate_series(1, 1000) AS n
"""
TWENTY_IDS = {"ids": "'{" + ",".join(f"acc_plan_{n}" for n in range(1, 21)) + "}'"}


def test_the_account_lookup_probes_the_index_for_each_id(db: Database) -> None:
    nodes = generic_plan(db, movements._RESOLVE_SQL, TWENTY_IDS, setup=THOUSAND_ACCOUNTS)
    assert scans_of(nodes, "deposit_accounts") == ["Index Scan"]
    assert [n["Index Name"] for n in nodes if n.get("Relation Name") == "deposit_accounts"] == [
        "uq_deposit_accounts_public_id"
    ]


def test_the_plain_form_of_the_lookup_would_scan_every_account(db: Database) -> None:
    """Why the lookup is written as it is: the planner reads ``public_id = ANY(…)`` as a full scan."""
    plain = "SELECT id, public_id FROM deposit_accounts WHERE public_id = ANY(%(ids)s::text[])"
    assert scans_of(generic_plan(db, plain, TWENTY_IDS, setup=THOUSAND_ACCOUNTS), "deposit_accounts") == [
        "Seq Scan"
    ]


def test_the_batch_locks_the_ledger_rows_of_its_accounts_by_index_in_id_order(db: Database) -> None:
    sql = posting._LOCK_FROM_SQL.format(source=movements._LEDGER_IDS_IF_ALL_CLASS_I_SQL)
    nodes = generic_plan(db, sql, TWENTY_IDS, setup=THOUSAND_ACCOUNTS + ";" + THEIR_LEDGER_ROWS)
    assert scans_of(nodes, "deposit_accounts") == ["Index Scan"]
    assert scans_of(nodes, "ledger_accounts") == ["Index Scan", "Index Scan"]
    # The rows are sorted by id below the lock, so they are locked in the global order.
    assert [n["Node Type"] for n in nodes[:2]] == ["LockRows", "Sort"]
    assert nodes[1]["Sort Key"] == ["l.id"]


def test_a_plain_join_would_scan_every_ledger_row(db: Database) -> None:
    """Why the ledger rows are probed one by one: a join is planned over a scan of the whole table."""
    sql = (
        "SELECT l.id FROM (" + movements._LEDGER_IDS_IF_ALL_CLASS_I_SQL + ") AS wanted (public_id)"
        " JOIN ledger_accounts AS l ON l.public_id = wanted.public_id ORDER BY l.id FOR UPDATE OF l"
    )
    nodes = generic_plan(db, sql, TWENTY_IDS, setup=THOUSAND_ACCOUNTS + ";" + THEIR_LEDGER_ROWS)
    assert scans_of(nodes, "ledger_accounts") == ["Seq Scan"]
