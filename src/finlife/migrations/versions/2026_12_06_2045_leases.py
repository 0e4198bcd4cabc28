"""leases: the table that lets scheduled and long work run on one node at a time (kit.leases)

Revision ID: 0003_leases
Revises: 0002_store_search
Create Date: 2026-12-06 20:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0003_leases"
down_revision: str | None = "0002_store_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("holder", sa.String(length=128), nullable=False),
        sa.Column("expires_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )


def downgrade() -> None:
    op.drop_table("leases")
