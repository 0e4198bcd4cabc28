"""orders by store and payment time: a store's popularity counts only its own paid orders

Revision ID: 0031_order_paid_index
Revises: 0016_lending
Create Date: 2026-12-07 05:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0031_order_paid_index"
down_revision: str | None = "0016_lending"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cashier_orders_store_paid", "cashier_orders", ["store_id", "paid_at"])


def downgrade() -> None:
    op.drop_index("ix_cashier_orders_store_paid", table_name="cashier_orders")
