"""when a login's session generation last moved: each node reads the logins signed out everywhere
since its last look, instead of asking for each login it has not seen lately

The logins already signed out everywhere get the time of this migration: every node then checks their
tokens' generations for one token lifetime, which is what an exact time would also give them.

Revision ID: 0033_generation_changed_at
Revises: 0032_store_popularity
Create Date: 2026-12-07 15:00:00+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0033_generation_changed_at"
down_revision: str | None = "0032_store_popularity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "session_generation_changed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_index(
        "ix_users_session_generation_changed_at",
        "users",
        ["session_generation_changed_at"],
        postgresql_where=sa.text("session_generation_changed_at IS NOT NULL"),
        sqlite_where=sa.text("session_generation_changed_at IS NOT NULL"),
    )
    users = sa.table(
        "users",
        sa.column("session_generation", sa.Integer()),
        sa.column("session_generation_changed_at", finlife.kit.db.UTCDateTime(timezone=True)),
    )
    op.execute(
        users.update()
        .where(users.c.session_generation > 0)
        .values(session_generation_changed_at=datetime.now(UTC))
    )


def downgrade() -> None:
    op.drop_index("ix_users_session_generation_changed_at", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation_changed_at")
