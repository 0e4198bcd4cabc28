"""insights: customers' facts, segments and their members, the personalised-marketing choice, a
campaign's audience, and (customer, id) indexes for the 360 view's timeline

Revision ID: 0019_insights
Revises: 0018_wealth
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0019_insights"
down_revision: str | None = "0018_wealth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "insights_customer_facts",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("lifecycle", sa.String(length=16), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("computed_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_insights_customer_facts")),
    )
    op.create_table(
        "insights_marketing_choices",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("personalised", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("changed_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_insights_marketing_choices")),
    )
    op.create_table(
        "insights_segments",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("refreshed_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_insights_segments")),
        sa.UniqueConstraint("public_id", name=op.f("uq_insights_segments_public_id")),
    )
    op.create_table(
        "insights_segment_members",
        sa.Column("segment_pk", BIG_ID, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["segment_pk"],
            ["insights_segments.id"],
            name=op.f("fk_insights_segment_members_segment_pk_insights_segments"),
        ),
        sa.PrimaryKeyConstraint("segment_pk", "customer_id", name=op.f("pk_insights_segment_members")),
    )
    with op.batch_alter_table("marketing_campaigns", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audience_segment_id", sa.String(length=32), nullable=True))
    with op.batch_alter_table("marketing_coupons", schema=None) as batch_op:
        batch_op.drop_index("ix_marketing_coupons_customer_id")
        batch_op.create_index("ix_marketing_coupons_customer_id_id", ["customer_id", "id"], unique=False)
    with op.batch_alter_table("life_reviews", schema=None) as batch_op:
        batch_op.create_index("ix_life_reviews_customer_id_id", ["customer_id", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("life_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_life_reviews_customer_id_id")
    with op.batch_alter_table("marketing_coupons", schema=None) as batch_op:
        batch_op.drop_index("ix_marketing_coupons_customer_id_id")
        batch_op.create_index("ix_marketing_coupons_customer_id", ["customer_id"], unique=False)
    with op.batch_alter_table("marketing_campaigns", schema=None) as batch_op:
        batch_op.drop_column("audience_segment_id")
    op.drop_table("insights_segment_members")
    op.drop_table("insights_segments")
    op.drop_table("insights_marketing_choices")
    op.drop_table("insights_customer_facts")
