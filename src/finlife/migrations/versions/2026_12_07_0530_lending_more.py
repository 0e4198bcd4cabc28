"""lending more: a loan's write-off (the officers who approved it, why, when)

Revision ID: 0028_lending_more
Revises: 0029_takings_credit
Create Date: 2026-12-07 05:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0028_lending_more"
down_revision: str | None = "0029_takings_credit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("loans") as batch:
        batch.add_column(sa.Column("write_off_approvals", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("write_off_reason", sa.String(length=500), nullable=True))
        batch.add_column(
            sa.Column("written_off_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("loans") as batch:
        batch.drop_column("written_off_at")
        batch.drop_column("write_off_reason")
        batch.drop_column("write_off_approvals")
