"""the merchant's books: entries, their lines, the day and hour totals the reports read, receipt pictures

Revision ID: 0017_books
Revises: 0021_service_centre
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0017_books"
down_revision: str | None = "0021_service_centre"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "book_entries",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("source_event", sa.String(length=32), nullable=True),
        sa.Column("ledger_entry_id", sa.String(length=32), nullable=True),
        sa.Column("reverses_pk", BIG_ID, nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["reverses_pk"], ["book_entries.id"], name=op.f("fk_book_entries_reverses_pk_book_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_entries")),
        sa.UniqueConstraint("public_id", name=op.f("uq_book_entries_public_id")),
        sa.UniqueConstraint("reverses_pk", name=op.f("uq_book_entries_reverses_pk")),
        sa.UniqueConstraint("source_event", name=op.f("uq_book_entries_source_event")),
    )
    op.create_index("ix_book_entries_merchant_day", "book_entries", ["merchant_id", "day"])
    op.create_table(
        "book_lines",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("entry_pk", BIG_ID, nullable=False),
        sa.Column("account", sa.String(length=48), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_pk"], ["book_entries.id"], name=op.f("fk_book_lines_entry_pk_book_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_book_lines")),
    )
    op.create_index(op.f("ix_book_lines_entry_pk"), "book_lines", ["entry_pk"])
    op.create_table(
        "book_totals",
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("account", sa.String(length=48), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "merchant_id", "day", "hour", "store_id", "account", name=op.f("pk_book_totals")
        ),
    )
    op.create_table(
        "book_day_totals",
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("account", sa.String(length=48), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("merchant_id", "day", "account", name=op.f("pk_book_day_totals")),
    )
    op.create_table(
        "book_receipts",
        sa.Column("entry_pk", BIG_ID, nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_pk"], ["book_entries.id"], name=op.f("fk_book_receipts_entry_pk_book_entries")
        ),
        sa.PrimaryKeyConstraint("entry_pk", name=op.f("pk_book_receipts")),
    )


def downgrade() -> None:
    op.drop_table("book_receipts")
    op.drop_table("book_day_totals")
    op.drop_table("book_totals")
    op.drop_index(op.f("ix_book_lines_entry_pk"), table_name="book_lines")
    op.drop_table("book_lines")
    op.drop_index("ix_book_entries_merchant_day", table_name="book_entries")
    op.drop_table("book_entries")
