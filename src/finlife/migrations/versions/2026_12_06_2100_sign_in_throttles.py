"""sign-in throttles: failures per source and per account in a table every node shares

Replaces the hard lock (users.failed_logins, users.locked_until: five wrong passwords locked anyone's
login for fifteen minutes) with identity.throttle's rows. Written by hand (the initial migration is
regenerated only before a release).

Revision ID: 0005_sign_in_throttles
Revises: 0004_devices
Create Date: 2026-12-06 21:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0005_sign_in_throttles"
down_revision: str | None = "0004_devices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttles",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("subject", sa.String(length=128), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("period_started_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retry_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_throttles")),
        sa.UniqueConstraint("scope", "subject", name=op.f("uq_sign_in_throttles_scope_subject")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("locked_until", finlife.kit.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.drop_table("sign_in_throttles")
