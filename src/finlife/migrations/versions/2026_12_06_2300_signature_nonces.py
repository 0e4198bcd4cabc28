"""signature nonces: the nonces of verified signed calls (RFC 9421), shared by every node

Revision ID: 0009_signature_nonces
Revises: 0006_event_stream
Create Date: 2026-12-06 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0009_signature_nonces"
down_revision: str | None = "0006_event_stream"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signature_nonces",
        sa.Column("keyid", sa.String(length=128), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("seen_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("keyid", "nonce", name=op.f("pk_signature_nonces")),
    )
    op.create_index(op.f("ix_signature_nonces_seen_at"), "signature_nonces", ["seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_signature_nonces_seen_at"), table_name="signature_nonces")
    op.drop_table("signature_nonces")
