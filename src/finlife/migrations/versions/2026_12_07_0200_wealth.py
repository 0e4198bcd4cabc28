"""wealth: money-market funds, their yields, holdings, orders, daily income, T+0 counters, sweeps

Revision ID: 0018_wealth
Revises: 0022_usable
Create Date: 2026-12-07 02:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0018_wealth"
down_revision: str | None = "0022_usable"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "wealth_funds",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("custody_account_id", sa.String(length=32), nullable=False),
        sa.Column("earnings_account_id", sa.String(length=32), nullable=False),
        sa.Column("payable_account_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wealth_funds")),
        sa.UniqueConstraint("public_id", name=op.f("uq_wealth_funds_public_id")),
        sa.UniqueConstraint("code", name=op.f("uq_wealth_funds_code")),
    )
    op.create_table(
        "wealth_fund_yields",
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("per_10k", sa.Numeric(10, 4), nullable=False),
        sa.Column("seven_day", sa.Numeric(8, 4), nullable=False),
        sa.Column("published_at", WHEN, nullable=False),
        _fk("wealth_fund_yields", "fund_pk", "wealth_funds"),
        sa.PrimaryKeyConstraint("fund_pk", "day", name=op.f("pk_wealth_fund_yields")),
    )
    op.create_table(
        "wealth_holdings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("units", sa.BigInteger(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("wealth_holdings", "fund_pk", "wealth_funds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wealth_holdings")),
        sa.UniqueConstraint("fund_pk", "account_id", name=op.f("uq_wealth_holdings_fund_pk_account_id")),
    )
    op.create_index(op.f("ix_wealth_holdings_customer_id"), "wealth_holdings", ["customer_id"])
    op.create_table(
        "wealth_orders",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("holding_pk", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("speed", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("arrives_on", sa.Date(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("wealth_orders", "fund_pk", "wealth_funds"),
        _fk("wealth_orders", "holding_pk", "wealth_holdings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wealth_orders")),
        sa.UniqueConstraint("public_id", name=op.f("uq_wealth_orders_public_id")),
    )
    op.create_index("ix_wealth_orders_pending", "wealth_orders", ["status", "arrives_on"])
    op.create_index(op.f("ix_wealth_orders_holding_pk"), "wealth_orders", ["holding_pk"])
    op.create_table(
        "wealth_fast_usage",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        _fk("wealth_fast_usage", "fund_pk", "wealth_funds"),
        sa.PrimaryKeyConstraint("customer_id", "fund_pk", "day", name=op.f("pk_wealth_fast_usage")),
    )
    op.create_table(
        "wealth_distributions",
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("base_units", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        _fk("wealth_distributions", "fund_pk", "wealth_funds"),
        sa.PrimaryKeyConstraint("fund_pk", "day", name=op.f("pk_wealth_distributions")),
    )
    op.create_table(
        "wealth_income",
        sa.Column("holding_pk", BIG_ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("base_units", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        _fk("wealth_income", "holding_pk", "wealth_holdings"),
        _fk("wealth_income", "fund_pk", "wealth_funds"),
        sa.PrimaryKeyConstraint("holding_pk", "day", name=op.f("pk_wealth_income")),
    )
    op.create_index("ix_wealth_income_unpaid", "wealth_income", ["fund_pk", "day", "paid"])
    op.create_table(
        "wealth_sweeps",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("ledger_account_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("fund_pk", BIG_ID, nullable=False),
        sa.Column("keep", sa.BigInteger(), nullable=False),
        sa.Column("swept_on", sa.Date(), nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        _fk("wealth_sweeps", "fund_pk", "wealth_funds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wealth_sweeps")),
        sa.UniqueConstraint("account_id", name=op.f("uq_wealth_sweeps_account_id")),
        sa.UniqueConstraint("ledger_account_id", name=op.f("uq_wealth_sweeps_ledger_account_id")),
    )


def downgrade() -> None:
    for table in (
        "wealth_sweeps",
        "wealth_income",
        "wealth_distributions",
        "wealth_fast_usage",
        "wealth_orders",
        "wealth_holdings",
        "wealth_fund_yields",
        "wealth_funds",
    ):
        op.drop_table(table)
