"""refund requests: a cashier's refund above the approval threshold waits for the merchant's owner

Revision ID: 0023_refund_requests
Revises: 0014_partner_opening
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0023_refund_requests"
down_revision: str | None = "0014_partner_opening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "payment_refund_requests",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("requested_by", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decision_note", sa.String(length=200), nullable=True),
        sa.Column("refund_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refund_requests_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refund_requests")),
        sa.UniqueConstraint("public_id", name=op.f("uq_payment_refund_requests_public_id")),
    )
    op.create_index(
        op.f("ix_payment_refund_requests_order_id"), "payment_refund_requests", ["order_id"], unique=False
    )
    op.create_index(
        "ix_payment_refund_requests_merchant_status",
        "payment_refund_requests",
        ["merchant_id", "status", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_payment_refund_requests_merchant_status", table_name="payment_refund_requests")
    op.drop_index(op.f("ix_payment_refund_requests_order_id"), table_name="payment_refund_requests")
    op.drop_table("payment_refund_requests")
