"""one-time codes: codes texted to a customer's phone (kept as HMACs) and the SMS outbox

Revision ID: 0008_one_time_codes
Revises: 0007_job_takeover
Create Date: 2026-12-06 23:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0008_one_time_codes"
down_revision: str | None = "0007_job_takeover"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "one_time_codes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("tries_left", sa.Integer(), nullable=False),
        sa.Column("expires_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_time_codes")),
        sa.UniqueConstraint("purpose", "subject", name=op.f("uq_one_time_codes_purpose_subject")),
    )
    op.create_table(
        "sms_messages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("body", sa.String(length=320), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_messages")),
        sa.UniqueConstraint("public_id", name=op.f("uq_sms_messages_public_id")),
    )
    op.create_index(op.f("ix_sms_messages_phone"), "sms_messages", ["phone"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sms_messages_phone"), table_name="sms_messages")
    op.drop_table("sms_messages")
    op.drop_table("one_time_codes")
