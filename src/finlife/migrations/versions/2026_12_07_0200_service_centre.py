"""service centre: cases, what was done in them, coupon restorations awaiting a second approval,
limit reviews for the back office, and the hourly request outcomes per channel

Revision ID: 0021_service_centre
Revises: 0019_insights
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0021_service_centre"
down_revision: str | None = "0019_insights"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["case_pk"], ["service_cases.id"], name=op.f(f"fk_{table}_case_pk_service_cases")
    )


def upgrade() -> None:
    op.create_table(
        "service_cases",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("close_note", sa.String(length=500), nullable=True),
        sa.Column("agent_user_id", sa.String(length=32), nullable=True),
        sa.Column("agent_username", sa.String(length=64), nullable=True),
        sa.Column("opened_at", WHEN, nullable=False),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_cases")),
        sa.UniqueConstraint("public_id", name=op.f("uq_service_cases_public_id")),
    )
    op.create_index(
        "ix_service_cases_customer_reason", "service_cases", ["customer_id", "reason", "opened_at"]
    )
    op.create_index("ix_service_cases_opened", "service_cases", ["opened_at"])
    op.create_index(op.f("ix_service_cases_agent_user_id"), "service_cases", ["agent_user_id"])
    op.create_table(
        "service_case_actions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("case_pk", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("at", WHEN, nullable=False),
        _case_fk("service_case_actions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_case_actions")),
    )
    op.create_index(op.f("ix_service_case_actions_case_pk"), "service_case_actions", ["case_pk"])
    op.create_table(
        "service_coupon_restorations",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("case_pk", BIG_ID, nullable=False),
        sa.Column("coupon_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("asked_by", sa.String(length=32), nullable=False),
        sa.Column("asked_at", WHEN, nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        _case_fk("service_coupon_restorations"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_coupon_restorations")),
        sa.UniqueConstraint("public_id", name=op.f("uq_service_coupon_restorations_public_id")),
    )
    op.create_index(
        op.f("ix_service_coupon_restorations_case_pk"), "service_coupon_restorations", ["case_pk"]
    )
    op.create_index(op.f("ix_service_coupon_restorations_status"), "service_coupon_restorations", ["status"])
    op.create_table(
        "service_limit_reviews",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("case_pk", BIG_ID, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("raised_by", sa.String(length=32), nullable=False),
        sa.Column("raised_at", WHEN, nullable=False),
        _case_fk("service_limit_reviews"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_limit_reviews")),
        sa.UniqueConstraint("public_id", name=op.f("uq_service_limit_reviews_public_id")),
    )
    op.create_index(op.f("ix_service_limit_reviews_case_pk"), "service_limit_reviews", ["case_pk"])
    op.create_index(op.f("ix_service_limit_reviews_status"), "service_limit_reviews", ["status"])
    op.create_table(
        "channel_request_hours",
        sa.Column("hour", WHEN, nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("metric", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("requests", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("hour", "channel", "metric", "key", name=op.f("pk_channel_request_hours")),
    )


def downgrade() -> None:
    op.drop_table("channel_request_hours")
    op.drop_table("service_limit_reviews")
    op.drop_table("service_coupon_restorations")
    op.drop_table("service_case_actions")
    op.drop_table("service_cases")
