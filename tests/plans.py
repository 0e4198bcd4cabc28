"""The plan PostgreSQL keeps for a statement the hot path sends as a prepared statement: its
generic plan, which, once chosen, serves every later execution whatever the arguments."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import psycopg
from sqlalchemy import text

from finlife.kit.db import Database

_NAMED = re.compile(r"%\((\w+)\)s")


def _numbered(sql: str) -> tuple[list[str], str]:
    """The parameters' names in order, and ``sql`` with psycopg's ``%(name)s`` as PREPARE's ``$n``."""
    names = list(dict.fromkeys(_NAMED.findall(sql)))
    return names, _NAMED.sub(lambda found: f"${names.index(found.group(1)) + 1}", sql)


def generic_plan(
    db: Database, sql: str, arguments: dict[str, str], *, setup: str = ""
) -> list[dict[str, Any]]:
    """Every node of the generic plan of ``sql`` (psycopg's ``%(name)s`` parameters), explained with
    ``arguments`` as SQL literals, after ``setup`` ran in the same transaction (rolled back after)."""
    names, numbered = _numbered(sql)
    name = f"plan_{uuid.uuid4().hex}"
    with db.unit_of_work() as session:
        if setup:
            session.execute(text(setup))
        raw = session.connection().connection.dbapi_connection
        # Simple protocol: the statement's own $1 must reach PREPARE, not be taken for a parameter.
        with psycopg.ClientCursor(raw) as cursor:  # type: ignore[arg-type]
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cursor.execute(f"PREPARE {name} AS {numbered}")
            literals = ", ".join(arguments[argument] for argument in names)
            cursor.execute(f"EXPLAIN (FORMAT JSON) EXECUTE {name} ({literals})")
            [[explained]] = cursor.fetchall()
            cursor.execute(f"DEALLOCATE {name}")
        session.rollback()  # what ``setup`` wrote was only for the planner
    found = explained if isinstance(explained, list) else json.loads(explained)
    return _nodes(found[0]["Plan"])


def plans_kept(
    db: Database, sql: str, arguments: dict[str, str], *, setup: str = "", executions: int = 10
) -> tuple[int, int]:
    """(generic plans, custom plans) PostgreSQL used for ``executions`` executions of ``sql`` as one
    prepared statement, with ``arguments`` as SQL literals, after ``setup`` (rolled back after): a
    statement whose generic plan loses to its custom plans is planned again on every execution."""
    names, numbered = _numbered(sql)
    name = f"plan_{uuid.uuid4().hex}"
    with db.unit_of_work() as session:
        if setup:
            session.execute(text(setup))
        raw = session.connection().connection.dbapi_connection
        with psycopg.ClientCursor(raw) as cursor:  # type: ignore[arg-type]
            cursor.execute(f"PREPARE {name} AS {numbered}")
            literals = ", ".join(arguments[argument] for argument in names)
            for _ in range(executions):
                cursor.execute(f"EXECUTE {name} ({literals})")
            cursor.execute(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = %s", (name,)
            )
            [(generic, custom)] = cursor.fetchall()
            cursor.execute(f"DEALLOCATE {name}")
        session.rollback()
    return int(generic), int(custom)


def scans_of(nodes: list[dict[str, Any]], table: str) -> list[str]:
    """How the plan reads ``table``: the node type of each scan of it ("Index Scan", "Seq Scan", …)."""
    return [
        node["Node Type"]
        for node in nodes
        if node.get("Relation Name") == table and "Scan" in node["Node Type"]
    ]


def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _nodes(child))]
