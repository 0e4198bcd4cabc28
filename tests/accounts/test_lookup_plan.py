"""The batch's deposit-account lookup (PostgreSQL) probes the public-id index once per id, whatever
the planner believes of the table: a transfer batch runs it with every account of the batch, as a
prepared statement whose generic plan once scanned all accounts and compared each with every id."""

from __future__ import annotations

import pytest

from finlife.accounts import movements
from finlife.kit.db import Database
from tests.plans import generic_plan, scans_of

pytestmark = pytest.mark.postgres_only

THOUSAND_ACCOUNTS = """
INSERT INTO deposit_accounts (public_id, number, customer_id, account_class, status, currency,
    ledger_account_id, bound_verified, opened_channel, opened_at)
SELECT 'acc_plan_' || n, lpad(n::text, 19, '0'), 'cus_plan_' || n, 'I', 'active', 'CNY',
    'lac_plan_' || n, false, 'branch', now()
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
