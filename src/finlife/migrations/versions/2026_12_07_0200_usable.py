"""usable: the payment password of a login (six digits, argon2, kept apart from the sign-in password)

Revision ID: 0022_usable
Revises: 0024_campaign_rejection
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0022_usable"
down_revision: str | None = "0024_campaign_rejection"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_passwords",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_payment_passwords")),
    )


def downgrade() -> None:
    op.drop_table("payment_passwords")
