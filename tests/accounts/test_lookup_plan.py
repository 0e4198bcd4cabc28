"""The batch's deposit-account lookup (PostgreSQL) probes the public-id index once per id, whatever
the planner believes of the table: a transfer batch runs it with every account of the batch, as a
prepared statement whose generic plan once scanned all accounts and compared each with every id."""

from __future__ import annotations

import json
import uuid
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from finlife.accounts import movements
from finlife.kit.db import Database

pytestmark = pytest.mark.postgres_only

_ACCOUNTS = """
INSERT INTO deposit_accounts (public_id, number, customer_id, account_class, status, currency,
    ledger_account_id, bound_verified, opened_channel, opened_at)
SELECT 'acc_plan_' || n, lpad(n::text, 19, '0'), 'cus_plan_' || n, 'I', 'active', 'CNY',
    'lac_plan_' || n, false, 'branch', now()
FROM generate_series(1, 1000) AS n
"""


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _nodes(child))]


def _generic_plan(db: Database, sql: str, ids: list[str]) -> list[dict[str, Any]]:
    """The plan PostgreSQL keeps for ``sql`` once prepared, over a thousand unanalysed accounts."""
    name = f"lookup_{uuid.uuid4().hex}"
    with db.unit_of_work() as session:
        session.execute(text(_ACCOUNTS))
        raw = session.connection().connection.dbapi_connection
        # Simple protocol: the statement's own $1 must reach PREPARE, not be taken for a parameter.
        with psycopg.ClientCursor(raw) as cursor:  # type: ignore[arg-type]
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE {name} (text) AS {sql.replace('%(ids)s', '$1')}")
            cursor.execute(f"EXPLAIN (FORMAT JSON) EXECUTE {name} (%s)", ["{" + ",".join(ids) + "}"])
            [[explained]] = cursor.fetchall()
            cursor.execute(f"DEALLOCATE {name}")
        session.rollback()  # the thousand accounts were only for the planner
    found = explained if isinstance(explained, list) else json.loads(explained)
    return _nodes(found[0]["Plan"])


def test_the_account_lookup_probes_the_index_for_each_id(db: Database) -> None:
    nodes = _generic_plan(db, movements._RESOLVE_SQL, [f"acc_plan_{n}" for n in range(1, 21)])
    on_accounts = [node for node in nodes if node.get("Relation Name") == "deposit_accounts"]
    assert [node["Node Type"] for node in on_accounts] == ["Index Scan"]
    assert on_accounts[0]["Index Name"] == "uq_deposit_accounts_public_id"
    assert any(node["Node Type"] == "Nested Loop" for node in nodes)


def test_the_plain_form_of_the_lookup_would_scan_every_account(db: Database) -> None:
    """Why the lookup is written as it is: the planner reads ``public_id = ANY(…)`` as a full scan."""
    plain = "SELECT id, public_id FROM deposit_accounts WHERE public_id = ANY(%(ids)s::text[])"
    nodes = _generic_plan(db, plain, [f"acc_plan_{n}" for n in range(1, 21)])
    assert "Seq Scan" in [node["Node Type"] for node in nodes]
