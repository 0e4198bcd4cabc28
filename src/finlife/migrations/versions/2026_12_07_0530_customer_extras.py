"""customer extras: saved payees, sign out everywhere (a login's session generation), new-customer
campaigns

Revision ID: 0025_customer_extras
Revises: 0028_lending_more
Create Date: 2026-12-07 05:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0025_customer_extras"
down_revision: str | None = "0028_lending_more"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "saved_payees",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("account_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("masked_name", sa.String(length=64), nullable=False),
        sa.Column("number_last4", sa.String(length=4), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_pk"], ["deposit_accounts.id"], name=op.f("fk_saved_payees_account_pk_deposit_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_payees")),
        sa.UniqueConstraint("public_id", name=op.f("uq_saved_payees_public_id")),
        sa.UniqueConstraint("customer_id", "account_pk", name=op.f("uq_saved_payees_customer_id_account_pk")),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("marketing_campaigns") as batch:
        batch.add_column(
            sa.Column("new_customers_only", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("marketing_campaigns") as batch:
        batch.drop_column("new_customers_only")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
    op.drop_table("saved_payees")
