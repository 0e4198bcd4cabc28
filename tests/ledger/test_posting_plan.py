"""A posting's one statement (PostgreSQL) finds the ledger rows whose balances it changes through
the primary key, whatever the planner believes of the table: it runs on every transfer, as a
prepared statement whose generic plan once joined unnest to a scan of every ledger account."""

from __future__ import annotations

import pytest

from finlife.kit.db import Database
from finlife.ledger import combined, posting
from tests.plans import generic_plan, scans_of

pytestmark = pytest.mark.postgres_only

THOUSAND_LEDGER_ACCOUNTS = """
INSERT INTO ledger_accounts
    (public_id, code, name, kind, normal_side, currency, balance, held, allow_overdraft, created_at)
SELECT 'lac_plan_' || n, 'plan.' || n, 'plan ' || n, 'deposit', 'credit', 'CNY', 0, 0, false, now()
FROM generate_series(1, 1000) AS n
"""
A_TRANSFER = {
    "public_id": "'jen_plan'",
    "kind": "'transfer'",
    "memo": "''",
    "details": "'{}'",
    "actor_user_id": "NULL",
    "channel": "'branch'",
    "reverses_id": "NULL",
    "created_at": "now()",
    "id0": "5",
    "balance0": "100",
    "id1": "6",
    "balance1": "-100",
    "accounts": "'{5,6}'",
    "amounts": "'{100,-100}'",
    "currencies": "'{CNY,CNY}'",
    "balances_after": "'{100,-100}'",
}


def test_a_posting_updates_its_ledger_rows_through_the_primary_key(db: Database) -> None:
    nodes = generic_plan(db, posting._posting_sql(2), A_TRANSFER, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert scans_of(nodes, "ledger_accounts") in (["Index Scan"], ["Bitmap Heap Scan"])
    assert "pk_ledger_accounts" in [node.get("Index Name") for node in nodes]


def test_a_join_on_unnest_would_scan_every_ledger_account(db: Database) -> None:
    """Why the rows are named one by one: the planner reads the join as a hash join over a full scan."""
    joined = """UPDATE ledger_accounts AS a SET balance = c.balance
    FROM unnest(%(ids)s::bigint[], %(balances)s::bigint[]) AS c (id, balance) WHERE a.id = c.id"""
    arguments = {"ids": "'{5,6}'", "balances": "'{100,-100}'"}
    nodes = generic_plan(db, joined, arguments, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert scans_of(nodes, "ledger_accounts") == ["Seq Scan"]


def test_a_posting_whose_lines_cancel_out_changes_no_balance() -> None:
    assert "ledger_accounts" not in posting._posting_sql(0)
    assert posting._posting_sql(3).count("::bigint THEN") == 3


def test_a_batch_of_postings_updates_its_ledger_rows_through_the_primary_key(db: Database) -> None:
    """A group commit's postings as one statement (``ledger.combined``): one primary-key probe per
    balance slot (an unused slot is NULL and matches no row); ``id IN`` of four was a full scan."""
    batch = {
        "public_ids": "'{jen_a,jen_b}'",
        "kinds": "'{transfer,transfer}'",
        "memos": """'{"",""}'""",
        "details": """'{"{}","{}"}'""",
        "actors": "'{NULL,NULL}'",
        "channels": "'{branch,branch}'",
        "reverses": "'{NULL,NULL}'",
        "created": "ARRAY[now(), now()]",
        "entries": "'{jen_a,jen_a,jen_b,jen_b}'",
        "accounts": "'{5,6,6,7}'",
        "amounts": "'{100,-100,50,-50}'",
        "currencies": "'{CNY,CNY,CNY,CNY}'",
        "balances_after": "'{100,-100,-50,-50}'",
        **{f"id{n}": value for n, value in enumerate(("5", "6", "7", "NULL"))},
        **{f"balance{n}": value for n, value in enumerate(("100", "-50", "-50", "NULL"))},
    }
    nodes = generic_plan(db, combined._combined_sql(4), batch, setup=THOUSAND_LEDGER_ACCOUNTS)
    probes = [
        node
        for node in nodes
        if node.get("Relation Name") == "ledger_accounts" and "Scan" in node["Node Type"]
    ]
    assert [(node["Node Type"], node["Index Name"]) for node in probes] == [
        ("Index Scan", "pk_ledger_accounts")
    ] * 4
    assert scans_of(nodes, "journal_entries") == []  # the entries are joined as the statement inserts them


def test_a_batch_names_its_balance_rows_in_few_statement_texts() -> None:
    assert [combined._slots(n) for n in (0, 1, 2, 3, 4, 5, 17, 64)] == [0, 2, 2, 4, 4, 8, 32, 64]
