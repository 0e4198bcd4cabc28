"""indexes a checkout wrote and nothing read: orders by merchant, and book entries' reversals

``cashier_orders.merchant_id`` is read by no query (a store's orders are read by store, paid orders
by time), yet an order wrote an entry at its insert and another at its payment (the update changes
``paid_at``, which other indexes hold, so it is never HOT). ``book_entries.reverses_pk`` is set only
on a reversal: a unique index over the rows where it is set keeps "reversed at most once" without an
entry for every sale the books consumer writes (as ``journal_entries.reverses_id`` does).

Revision ID: 0034_checkout_indexes
Revises: 0033_generation_changed_at
Create Date: 2026-12-08 01:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034_checkout_indexes"
down_revision: str | None = "0033_generation_changed_at"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_cashier_orders_merchant_id", table_name="cashier_orders")
    with op.batch_alter_table("book_entries") as batch:
        batch.drop_constraint("uq_book_entries_reverses_pk", type_="unique")
    op.create_index(
        "uq_book_entries_reverses_pk",
        "book_entries",
        ["reverses_pk"],
        unique=True,
        postgresql_where=sa.text("reverses_pk IS NOT NULL"),
        sqlite_where=sa.text("reverses_pk IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_book_entries_reverses_pk", table_name="book_entries")
    with op.batch_alter_table("book_entries") as batch:
        batch.create_unique_constraint("uq_book_entries_reverses_pk", ["reverses_pk"])
    op.create_index("ix_cashier_orders_merchant_id", "cashier_orders", ["merchant_id"])
