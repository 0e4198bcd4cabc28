"""merchant edit: a login disabled from signing in, and a merchant's member disabled by the owner

Revision ID: 0026_merchant_edit
Revises: 0031_order_paid_index
Create Date: 2026-12-07 05:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0026_merchant_edit"
down_revision: str | None = "0031_order_paid_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("merchant_members") as batch:
        batch.add_column(sa.Column("disabled_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("merchant_members") as batch:
        batch.drop_column("disabled_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled_at")
