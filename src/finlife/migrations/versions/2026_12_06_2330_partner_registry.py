"""partner registry: the partners' call log (JR/T 0185 keeps it at least six months)

Revision ID: 0011_partner_registry
Revises: 0008_one_time_codes
Create Date: 2026-12-06 23:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0011_partner_registry"
down_revision: str | None = "0008_one_time_codes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partner_calls",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("partner_pk", BIG_ID, nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("route", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.String(length=32), nullable=True),
        sa.Column("at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_pk"], ["partners.id"], name=op.f("fk_partner_calls_partner_pk_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_calls")),
        sa.UniqueConstraint("public_id", name=op.f("uq_partner_calls_public_id")),
    )
    op.create_index("ix_partner_calls_partner", "partner_calls", ["partner_pk", "id"])
    op.create_index("ix_partner_calls_at", "partner_calls", ["at"])


def downgrade() -> None:
    op.drop_table("partner_calls")
