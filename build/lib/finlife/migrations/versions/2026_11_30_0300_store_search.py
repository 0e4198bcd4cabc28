"""store search: the full-text index of store documents, and the stores' position index

Written by hand: Alembic cannot generate an FTS5 virtual table, its triggers, a generated tsvector
column or a GIN index from the models. The tables it indexes (search_store_documents) come from the
core migration, which is regenerated from the models.

SQLite: an external-content FTS5 table over search_store_documents.document, kept current by
triggers (so deleting or updating a document row, even outside the application, updates the index).
PostgreSQL: a stored generated column to_tsvector('simple', document) with a GIN index. Both read the
space-separated tokens that finlife.search.text makes (jieba words, pairs and single characters).

Both: an index on the stores' (latitude_micro, longitude_micro), for discovery's bounding box.

Revision ID: 0002_store_search
Revises: 0001_core_bank
Create Date: 2026-11-30 03:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_store_search"
down_revision: str | None = "0001_core_bank"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    # unicode61 keeps each space-separated token whole (Han characters are token characters);
    # diacritics are kept so that the query, cut by the same tokenizer, sees the same tokens.
    """CREATE VIRTUAL TABLE search_store_documents_fts USING fts5(
        document, content='search_store_documents', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_store_documents_ai AFTER INSERT ON search_store_documents BEGIN
        INSERT INTO search_store_documents_fts(rowid, document) VALUES (new.id, new.document);
    END""",
    """CREATE TRIGGER search_store_documents_ad AFTER DELETE ON search_store_documents BEGIN
        INSERT INTO search_store_documents_fts(search_store_documents_fts, rowid, document)
        VALUES ('delete', old.id, old.document);
    END""",
    """CREATE TRIGGER search_store_documents_au AFTER UPDATE ON search_store_documents BEGIN
        INSERT INTO search_store_documents_fts(search_store_documents_fts, rowid, document)
        VALUES ('delete', old.id, old.document);
        INSERT INTO search_store_documents_fts(rowid, document) VALUES (new.id, new.document);
    END""",
    "INSERT INTO search_store_documents_fts(search_store_documents_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER search_store_documents_au",
    "DROP TRIGGER search_store_documents_ad",
    "DROP TRIGGER search_store_documents_ai",
    "DROP TABLE search_store_documents_fts",
]
POSTGRESQL_UP = [
    """ALTER TABLE search_store_documents ADD COLUMN document_tsv tsvector
        GENERATED ALWAYS AS (to_tsvector('simple', document)) STORED""",
    "CREATE INDEX ix_search_store_documents_document_tsv ON search_store_documents USING gin (document_tsv)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX ix_search_store_documents_document_tsv",
    "ALTER TABLE search_store_documents DROP COLUMN document_tsv",
]


def upgrade() -> None:
    statements = POSTGRESQL_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP
    for statement in statements:
        op.execute(statement)
    op.create_index("ix_stores_position", "stores", ["latitude_micro", "longitude_micro"])


def downgrade() -> None:
    op.drop_index("ix_stores_position", "stores")
    statements = POSTGRESQL_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN
    for statement in statements:
        op.execute(statement)
