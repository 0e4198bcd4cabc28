"""partners: the open API's partners, customers' consents and partners' tokens

Revision ID: 0010_partners
Revises: 0009_signature_nonces
Create Date: 2026-12-06 23:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0010_partners"
down_revision: str | None = "0009_signature_nonces"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("redirect_uris", sa.JSON(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("api_level", sa.String(length=2), nullable=False),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("previous_secret_hash", sa.String(length=255), nullable=True),
        sa.Column("previous_secret_until", WHEN, nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("approved_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("approved_at", WHEN, nullable=True),
        sa.Column("suspended_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("public_id", name=op.f("uq_partners_public_id")),
        sa.UniqueConstraint("client_id", name=op.f("uq_partners_client_id")),
    )
    op.create_table(
        "consents",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("partner_pk", BIG_ID, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("account_ids", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("daily_payment_limit", BIG_ID, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("authorised_at", WHEN, nullable=True),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.Column("revoked_by", sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_pk"], ["partners.id"], name=op.f("fk_consents_partner_pk_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
        sa.UniqueConstraint("public_id", name=op.f("uq_consents_public_id")),
    )
    op.create_index("ix_consents_customer", "consents", ["customer_id", "status"])
    op.create_index(op.f("ix_consents_partner_pk"), "consents", ["partner_pk"])
    op.create_table(
        "partner_tokens",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("partner_pk", BIG_ID, nullable=False),
        sa.Column("consent_pk", BIG_ID, nullable=True),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("issued_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("revoked_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_pk"], ["partners.id"], name=op.f("fk_partner_tokens_partner_pk_partners")
        ),
        sa.ForeignKeyConstraint(
            ["consent_pk"], ["consents.id"], name=op.f("fk_partner_tokens_consent_pk_consents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_partner_tokens_token_hash")),
    )
    op.create_index(op.f("ix_partner_tokens_family"), "partner_tokens", ["family"])
    op.create_index(op.f("ix_partner_tokens_partner_pk"), "partner_tokens", ["partner_pk"])
    op.create_index(op.f("ix_partner_tokens_consent_pk"), "partner_tokens", ["consent_pk"])


def downgrade() -> None:
    op.drop_table("partner_tokens")
    op.drop_table("consents")
    op.drop_table("partners")
