"""devices: machines with their own credentials (ATMs), bound to a branch's cash vault

Revision ID: 0004_devices
Revises: 0003_leases
Create Date: 2026-12-06 21:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0004_devices"
down_revision: str | None = "0003_leases"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("branch", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deactivated_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_devices")),
        sa.UniqueConstraint("public_id", name=op.f("uq_devices_public_id")),
    )


def downgrade() -> None:
    op.drop_table("devices")
