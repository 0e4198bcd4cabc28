"""takings credit: the owners' accepted offers of credit from takings and the loans they became

Revision ID: 0029_takings_credit
Revises: 0026_merchant_edit
Create Date: 2026-12-07 06:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0029_takings_credit"
down_revision: str | None = "0026_merchant_edit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "takings_credit_acceptances",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("offer_day", sa.Date(), nullable=False),
        sa.Column("takings", sa.BigInteger(), nullable=False),
        sa.Column("offered_limit", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("loan_id", sa.String(length=32), nullable=True),
        sa.Column("accepted_by", sa.String(length=32), nullable=False),
        sa.Column("accepted_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_takings_credit_acceptances")),
        sa.UniqueConstraint(
            "merchant_id", "offer_day", name=op.f("uq_takings_credit_acceptances_merchant_id_offer_day")
        ),
    )


def downgrade() -> None:
    op.drop_table("takings_credit_acceptances")
