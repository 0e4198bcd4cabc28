"""recommendations: each customer's stored top stores, the popularity baseline, the trainings

Revision ID: 0020_recommend
Revises: 0017_books
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0020_recommend"
down_revision: str | None = "0017_books"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "recommend_store_picks",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("favourite", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommend_store_picks")),
    )
    op.create_index("ix_recommend_store_picks_customer", "recommend_store_picks", ["customer_id", "rank"])
    op.create_table(
        "recommend_popular_stores",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommend_popular_stores")),
        sa.UniqueConstraint("rank", name=op.f("uq_recommend_popular_stores_rank")),
    )
    op.create_table(
        "recommend_trainings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("trained_at", WHEN, nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("stores", sa.Integer(), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recommend_trainings")),
    )


def downgrade() -> None:
    op.drop_table("recommend_trainings")
    op.drop_table("recommend_popular_stores")
    op.drop_index("ix_recommend_store_picks_customer", table_name="recommend_store_picks")
    op.drop_table("recommend_store_picks")
