"""campaign rejection reason: why bank staff last sent a campaign back to draft

Revision ID: 0024_campaign_rejection
Revises: 0023_refund_requests
Create Date: 2026-12-07 02:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_campaign_rejection"
down_revision: str | None = "0023_refund_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("marketing_campaigns") as batch:
        batch.add_column(sa.Column("rejection_reason", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("marketing_campaigns") as batch:
        batch.drop_column("rejection_reason")
