"""The hand-written search migration on top of the regenerated core one: up, down and up again, on a
database of its own (SQLite: the FTS5 table and its triggers; PostgreSQL: the tsvector column and GIN)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from finlife import schema
from finlife.kit.db import make_engine, normalise_url
from tests.conftest import BACKEND_URL, ON_POSTGRES

SEARCH_REVISION = "0002_store_search"


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    base = make_url(normalise_url(BACKEND_URL))
    name = f"finlife_migrations_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _index_objects(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        inspector = inspect(engine)
        found = {column["name"] for column in inspector.get_columns("search_store_documents")}
        found |= set(inspector.get_table_names())
        found |= {index["name"] or "" for index in inspector.get_indexes("search_store_documents")}
        found |= {index["name"] or "" for index in inspector.get_indexes("stores")}
        return found
    finally:
        engine.dispose()


def test_the_search_revision_is_on_the_way_to_the_head_and_comes_off_and_back(empty_url: str) -> None:
    # Later revisions (the event stream's, ...) sit above it: it must lie on the one line to the head.
    script = ScriptDirectory.from_config(schema.alembic_config(empty_url))
    assert SEARCH_REVISION in {r.revision for r in script.iterate_revisions("heads", "base")}
    schema.upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        schema.ensure_current(engine, empty_url)  # the server's start-up check accepts two revisions
    finally:
        engine.dispose()
    made = (
        {"document_tsv", "ix_search_store_documents_document_tsv"}
        if ON_POSTGRES
        else {"search_store_documents_fts"}
    )
    assert made | {"ix_stores_position"} <= _index_objects(empty_url)

    command.downgrade(schema.alembic_config(empty_url), "0001_core_bank")
    assert not (made | {"ix_stores_position"}) & _index_objects(empty_url)

    schema.upgrade(empty_url)
    assert made <= _index_objects(empty_url)
