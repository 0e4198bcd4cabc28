"""job takeover: a job's kind parameters, attempts and runner; a payment code's public id

Revision ID: 0007_job_takeover
Revises: 0010_partners
Create Date: 2026-12-06 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_job_takeover"
down_revision: str | None = "0010_partners"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("parameters", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("runner", sa.String(length=160), nullable=True))
    # A replay of POST /v1/payment-codes (Idempotency-Key) names the code it issued by this id.
    with op.batch_alter_table("payment_codes") as batch:
        batch.add_column(sa.Column("public_id", sa.String(length=32), nullable=True))
        batch.create_unique_constraint(op.f("uq_payment_codes_public_id"), ["public_id"])


def downgrade() -> None:
    with op.batch_alter_table("payment_codes") as batch:
        batch.drop_constraint(op.f("uq_payment_codes_public_id"), type_="unique")
        batch.drop_column("public_id")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("runner")
        batch.drop_column("attempts")
        batch.drop_column("parameters")
