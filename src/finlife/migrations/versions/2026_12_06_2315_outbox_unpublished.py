"""outbox: the unpublished events indexed by id (a partial index), in place of published_at's index

The relay claims ``WHERE published_at IS NULL ORDER BY id LIMIT n``; with an index on published_at,
PostgreSQL chose to walk the primary key past every published row while a backlog drained, so each
claim cost grew with the history. The partial index holds only the unpublished rows.

Revision ID: 0006b_outbox_unpublished
Revises: 0012_oauth
Create Date: 2026-12-06 23:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006b_outbox_unpublished"
down_revision: str | None = "0012_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_events_published_at"))
        batch_op.create_index(
            "ix_outbox_events_unpublished",
            ["id"],
            unique=False,
            postgresql_where=sa.text("published_at IS NULL"),
            sqlite_where=sa.text("published_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_events_unpublished")
        batch_op.create_index(batch_op.f("ix_outbox_events_published_at"), ["published_at"], unique=False)
