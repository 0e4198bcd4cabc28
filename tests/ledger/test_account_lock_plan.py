"""A posting's ledger rows are locked (and a hot account's read) by a statement whose generic plan
probes the public-id index and that PostgreSQL keeps: it runs on every payment and transfer alone, as
a prepared statement; with ``= ANY(array)`` it was planned again on every execution."""

from __future__ import annotations

import pytest

from finlife.kit.db import Database
from finlife.ledger import hot_accounts
from tests.plans import generic_plan, plans_kept, scans_of

pytestmark = pytest.mark.postgres_only

THOUSAND_LEDGER_ACCOUNTS = """
INSERT INTO ledger_accounts
    (public_id, code, name, kind, normal_side, currency, balance, held, allow_overdraft, created_at)
SELECT 'lac_plan_' || n, 'plan.' || n, 'plan ' || n, 'deposit', 'credit', 'CNY', 0, 0, false, now()
FROM generate_series(1, 1000) AS n
"""
TWO_ACCOUNTS = {"id0": "'lac_plan_5'", "id1": "'lac_plan_6'"}
AS_AN_ARRAY = (
    "SELECT id, public_id, normal_side, currency, balance, held, allow_overdraft, balance_cap"
    " FROM ledger_accounts WHERE public_id = ANY(%(ids)s::text[]) ORDER BY id FOR NO KEY UPDATE"
)


@pytest.mark.parametrize("lock", [True, False])
def test_the_accounts_are_probed_in_the_public_id_index_in_the_generic_plan(db: Database, lock: bool) -> None:
    sql = hot_accounts.accounts_sql(2, lock=lock)
    nodes = generic_plan(db, sql, TWO_ACCOUNTS, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert scans_of(nodes, "ledger_accounts") in (["Index Scan"], ["Bitmap Heap Scan"])
    assert "uq_ledger_accounts_public_id" in [node.get("Index Name") for node in nodes]


@pytest.mark.parametrize("lock", [True, False])
def test_postgresql_keeps_the_generic_plan_after_five_custom_ones(db: Database, lock: bool) -> None:
    sql = hot_accounts.accounts_sql(2, lock=lock)
    generic, custom = plans_kept(db, sql, TWO_ACCOUNTS, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert (generic, custom) == (5, 5)


def test_an_array_of_ids_would_be_planned_again_on_every_execution(db: Database) -> None:
    """Why the ids are one parameter each: the generic plan of ``= ANY`` is costed for ten ids (and
    scans the table), so the custom plan of two wins every time and is made every time."""
    arguments = {"ids": "'{lac_plan_5,lac_plan_6}'"}
    generic, custom = plans_kept(db, AS_AN_ARRAY, arguments, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert (generic, custom) == (0, 10)
    nodes = generic_plan(db, AS_AN_ARRAY, arguments, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert scans_of(nodes, "ledger_accounts") == ["Seq Scan"]


def test_one_statement_text_per_number_of_ids() -> None:
    assert hot_accounts.accounts_sql(3, lock=True).count("%(id") == 3
    assert hot_accounts.accounts_sql(1, lock=False).endswith("ORDER BY id")
    sql, params = hot_accounts.accounts_query(["lac_b", "lac_a"], lock=True)
    assert sql.endswith("FOR NO KEY UPDATE") and params == {"id0": "lac_b", "id1": "lac_a"}
