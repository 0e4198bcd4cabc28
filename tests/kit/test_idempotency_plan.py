"""A batch's Idempotency-Keys are looked up (PostgreSQL) by one index probe each, in every plan:
the statement runs once a batch as a prepared statement, and a plan made while the table was still
small stays cached on its connection as the table grows by a row a transfer."""

from __future__ import annotations

import pytest

from finlife.kit import idempotency
from finlife.kit.db import Database
from tests.plans import generic_plan, scans_of

pytestmark = pytest.mark.postgres_only

THREE_KEYS = {"scopes": "'{usr_a,usr_a,usr_b}'", "keys": "'{k-1,k-2,k-1}'"}


def test_the_keys_of_a_batch_are_probed_in_the_index_even_in_a_plan_made_on_an_empty_table(
    db: Database,
) -> None:
    nodes = generic_plan(db, idempotency._ANSWER_MANY_SQL, THREE_KEYS)
    assert scans_of(nodes, "idempotency_keys") == ["Index Scan"]
    assert [n["Index Name"] for n in nodes if n.get("Relation Name") == "idempotency_keys"] == [
        "uq_idempotency_keys_scope_key"
    ]


def test_the_plain_form_planned_on_an_empty_table_would_scan_it_for_ever(db: Database) -> None:
    """Why the lookup is written as it is."""
    plain = (
        "SELECT scope, key FROM idempotency_keys"
        " WHERE (scope, key) IN (SELECT * FROM unnest(%(scopes)s::text[], %(keys)s::text[]))"
    )
    assert scans_of(generic_plan(db, plain, THREE_KEYS), "idempotency_keys") == ["Seq Scan"]
