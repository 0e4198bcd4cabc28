"""lending: loan products, reference rates, developers' escrow accounts, loans and their instalments,
the days of servicing run; journeys and their steps

Revision ID: 0016_lending
Revises: 0020_recommend
Create Date: 2026-12-07 01:49:28.700702+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0016_lending"
down_revision: str | None = "0020_recommend"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journeys",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("partner_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journeys")),
        sa.UniqueConstraint("public_id", name=op.f("uq_journeys_public_id")),
    )
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journeys_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "loan_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("done_through_pk", sa.BigInteger(), nullable=False),
        sa.Column("finished_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_loan_days")),
    )
    op.create_table(
        "loan_developer_escrows",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("partner_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_developer_escrows")),
        sa.UniqueConstraint("partner_id", name=op.f("uq_loan_developer_escrows_partner_id")),
    )
    op.create_table(
        "loan_products",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_amount", sa.BigInteger(), nullable=False),
        sa.Column("max_amount", sa.BigInteger(), nullable=False),
        sa.Column("min_term_months", sa.Integer(), nullable=False),
        sa.Column("max_term_months", sa.Integer(), nullable=False),
        sa.Column("reference_rate", sa.String(length=8), nullable=False),
        sa.Column("spread_bp", sa.Integer(), nullable=False),
        sa.Column("repricing", sa.String(length=16), nullable=False),
        sa.Column("methods", sa.JSON(), nullable=False),
        sa.Column("max_ltv_first_bp", sa.Integer(), nullable=True),
        sa.Column("max_ltv_second_bp", sa.Integer(), nullable=True),
        sa.Column("max_dti_bp", sa.Integer(), nullable=False),
        sa.Column("penalty_markup_pct", sa.Integer(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("second_approval_above", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_products")),
        sa.UniqueConstraint("public_id", name=op.f("uq_loan_products_public_id")),
    )
    op.create_table(
        "loan_reference_rates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=8), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_reference_rates")),
        sa.UniqueConstraint(
            "name", "effective_from", name=op.f("uq_loan_reference_rates_name_effective_from")
        ),
    )
    op.create_table(
        "journey_steps",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("journey_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("by", sa.String(length=32), nullable=True),
        sa.Column("at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["journey_pk"], ["journeys.id"], name=op.f("fk_journey_steps_journey_pk_journeys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journey_steps")),
        sa.UniqueConstraint("journey_pk", "name", name=op.f("uq_journey_steps_journey_pk_name")),
    )
    op.create_table(
        "loans",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("product_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("spread_bp", sa.Integer(), nullable=False),
        sa.Column("penalty_markup_pct", sa.Integer(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("repayment_account_id", sa.String(length=32), nullable=False),
        sa.Column("monthly_income", sa.BigInteger(), nullable=False),
        sa.Column("property", sa.JSON(), nullable=True),
        sa.Column("developer_partner_id", sa.String(length=32), nullable=True),
        sa.Column("partner_id", sa.String(length=32), nullable=True),
        sa.Column("entered_by", sa.String(length=32), nullable=False),
        sa.Column("journey_id", sa.String(length=32), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("approvals", sa.JSON(), nullable=False),
        sa.Column("decided_reason", sa.String(length=500), nullable=True),
        sa.Column("signed_by", sa.String(length=32), nullable=True),
        sa.Column("signed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("disbursed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("disbursed_to", sa.String(length=32), nullable=True),
        sa.Column("ledger_account_id", sa.String(length=32), nullable=True),
        sa.Column("current_n", sa.Integer(), nullable=False),
        sa.Column("accrued", sa.BigInteger(), nullable=False),
        sa.Column("penalty_due", sa.BigInteger(), nullable=False),
        sa.Column("oldest_unpaid_due", sa.Date(), nullable=True),
        sa.Column("days_past_due", sa.Integer(), nullable=False),
        sa.Column("classification", sa.String(length=16), nullable=False),
        sa.Column("serviced_through", sa.Date(), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_pk"], ["loan_products.id"], name=op.f("fk_loans_product_pk_loan_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loans")),
        sa.UniqueConstraint("public_id", name=op.f("uq_loans_public_id")),
    )
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.create_index("ix_loans_customer", ["customer_id", "id"], unique=False)
        batch_op.create_index("ix_loans_status_id", ["status", "id"], unique=False)

    op.create_table(
        "loan_instalments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("loan_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("principal", sa.BigInteger(), nullable=False),
        sa.Column("interest", sa.BigInteger(), nullable=False),
        sa.Column("paid_principal", sa.BigInteger(), nullable=False),
        sa.Column("paid_interest", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(["loan_pk"], ["loans.id"], name=op.f("fk_loan_instalments_loan_pk_loans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loan_instalments")),
        sa.UniqueConstraint("loan_pk", "n", name=op.f("uq_loan_instalments_loan_pk_n")),
    )


def downgrade() -> None:
    op.drop_table("loan_instalments")
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_index("ix_loans_status_id")
        batch_op.drop_index("ix_loans_customer")

    op.drop_table("loans")
    op.drop_table("journey_steps")
    op.drop_table("loan_reference_rates")
    op.drop_table("loan_products")
    op.drop_table("loan_developer_escrows")
    op.drop_table("loan_days")
    with op.batch_alter_table("journeys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journeys_customer_id"))

    op.drop_table("journeys")
