"""A cashier's stores (PostgreSQL) are read through the primary key of each, in every plan: the
statement runs twice a checkout (the order and its QR code check the seller's store) as a prepared
statement, whose generic plan is kept on its connection as the stores table grows."""

from __future__ import annotations

import pytest
from sqlalchemy import Select
from sqlalchemy.dialects import postgresql

from finlife.kit.db import Database
from finlife.merchants.service import access
from tests.plans import generic_plan, scans_of

pytestmark = pytest.mark.postgres_only

TWO_THOUSAND_STORES = """
WITH m AS (
    INSERT INTO merchants (public_id, legal_name, credit_code, mcc, category, applicant_user_id,
        customer_id, settlement_account_id, status, applied_at)
    VALUES ('mer_plan', 'Plan', '91310000PLAN00000X', '5812', 'restaurant', 'usr_plan', 'cus_plan',
        'acc_plan', 'active', now())
    RETURNING id
)
INSERT INTO stores (public_id, merchant_pk, name, address, district, latitude_micro, longitude_micro,
    category, opening_hours, status, created_at)
SELECT 'sto_plan_' || n, m.id, 'store ' || n, 'street ' || n, 'Xuhui', 31200000, 121400000,
    'restaurant', '', 'active', now()
FROM m, generate_series(1, 2000) AS n
"""
A_MEMBER = {"member": "7"}


def _sql(statement: Select[tuple[str]]) -> str:
    """The statement as psycopg receives it (``%(member)s``)."""
    return str(statement.compile(dialect=postgresql.dialect()))


def test_a_members_stores_are_read_by_primary_key(db: Database) -> None:
    nodes = generic_plan(db, _sql(access._MEMBER_STORES), A_MEMBER, setup=TWO_THOUSAND_STORES)
    assert scans_of(nodes, "stores") == ["Index Scan"]
    assert [n["Index Name"] for n in nodes if n.get("Relation Name") == "stores"] == ["pk_stores"]


def test_the_join_would_scan_every_store(db: Database) -> None:
    """Why the store is a subquery: the join's generic plan hashes the member's stores and scans the
    whole table for them."""
    joined = (
        "SELECT stores.public_id FROM stores JOIN merchant_member_stores"
        " ON merchant_member_stores.store_pk = stores.id"
        " WHERE merchant_member_stores.member_pk = %(member)s"
    )
    assert scans_of(generic_plan(db, joined, A_MEMBER, setup=TWO_THOUSAND_STORES), "stores") == ["Seq Scan"]
