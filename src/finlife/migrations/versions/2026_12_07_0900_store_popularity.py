"""store popularity: each store's count of paid orders kept beside its search document, the cashier's
mark (the time the counts start from) and an index of orders by payment time

Every store gets its row, counting all its paid orders: there is no mark yet, so the counts hold
paid orders since the beginning, which is what they mean without one (cashier.service.popularity).
The first ``finlife popularity roll`` moves the mark to a month ago and takes the older orders out.

Revision ID: 0032_store_popularity
Revises: 0025_customer_extras
Create Date: 2026-12-07 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0032_store_popularity"
down_revision: str | None = "0025_customer_extras"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "search_store_popularity",
        sa.Column("id", ID, nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("popularity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_store_popularity")),
        sa.UniqueConstraint("store_id", name=op.f("uq_search_store_popularity_store_id")),
    )
    op.create_index(
        "ix_search_store_popularity_rank",
        "search_store_popularity",
        [sa.literal_column("popularity DESC"), "store_id"],
    )
    op.create_table(
        "cashier_popularity_marks",
        sa.Column("id", ID, nullable=False),
        sa.Column("counted_since", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashier_popularity_marks")),
    )
    op.create_index(
        "ix_cashier_orders_paid_at",
        "cashier_orders",
        ["paid_at"],
        postgresql_where=sa.text("paid_at IS NOT NULL"),
        sqlite_where=sa.text("paid_at IS NOT NULL"),
    )
    op.execute(
        """INSERT INTO search_store_popularity (store_id, popularity)
        SELECT stores.public_id,
               (SELECT count(*) FROM cashier_orders
                WHERE cashier_orders.store_id = stores.public_id AND cashier_orders.status = 'paid')
        FROM stores"""
    )


def downgrade() -> None:
    op.drop_index("ix_cashier_orders_paid_at", table_name="cashier_orders")
    op.drop_table("cashier_popularity_marks")
    op.drop_index("ix_search_store_popularity_rank", table_name="search_store_popularity")
    op.drop_table("search_store_popularity")
