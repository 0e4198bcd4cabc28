"""partner opening: accounts partners open for their users and partners' payments (their one-time
codes and texts use 0008_one_time_codes's tables)

Revision ID: 0014_partner_opening
Revises: 0006b_outbox_unpublished
Create Date: 2026-12-06 23:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0014_partner_opening"
down_revision: str | None = "0006b_outbox_unpublished"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partner_openings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("partner_pk", BIG_ID, nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("account_class", sa.String(length=4), nullable=False),
        sa.Column("bound_bank_code", sa.String(length=16), nullable=False),
        sa.Column("bound_number", sa.String(length=34), nullable=False),
        sa.Column("code_sent_at", WHEN, nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("account_id", sa.String(length=32), nullable=True),
        sa.Column("account_number", sa.String(length=32), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("opened_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_pk"], ["partners.id"], name=op.f("fk_partner_openings_partner_pk_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_openings")),
        sa.UniqueConstraint("public_id", name=op.f("uq_partner_openings_public_id")),
    )
    op.create_index("ix_partner_openings_partner", "partner_openings", ["partner_pk", "id"])
    op.create_table(
        "partner_payments",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("partner_pk", BIG_ID, nullable=False),
        sa.Column("consent_pk", BIG_ID, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("from_account_id", sa.String(length=32), nullable=False),
        sa.Column("payee_name", sa.String(length=140), nullable=False),
        sa.Column("payee_bank_code", sa.String(length=16), nullable=True),
        sa.Column("payee_account_number", sa.String(length=34), nullable=False),
        sa.Column("amount", BIG_ID, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference", sa.String(length=140), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("decline_reason", sa.String(length=24), nullable=True),
        sa.Column("transfer_id", sa.String(length=40), nullable=True),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("confirm_by", WHEN, nullable=True),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_pk"], ["partners.id"], name=op.f("fk_partner_payments_partner_pk_partners")
        ),
        sa.ForeignKeyConstraint(
            ["consent_pk"], ["consents.id"], name=op.f("fk_partner_payments_consent_pk_consents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_payments")),
        sa.UniqueConstraint("public_id", name=op.f("uq_partner_payments_public_id")),
    )
    op.create_index("ix_partner_payments_consent_day", "partner_payments", ["consent_pk", "business_day"])
    op.create_index("ix_partner_payments_customer", "partner_payments", ["customer_id", "status"])


def downgrade() -> None:
    op.drop_table("partner_payments")
    op.drop_table("partner_openings")
