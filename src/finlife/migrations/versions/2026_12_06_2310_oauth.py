"""oauth: authorization codes of partners' OAuth2 (single use, bound to client, redirect, PKCE, consent)

Revision ID: 0012_oauth
Revises: 0013_webhooks
Create Date: 2026-12-06 23:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import finlife.kit.db

revision: str = "0012_oauth"
down_revision: str | None = "0013_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = finlife.kit.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "oauth_codes",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("partner_pk", BIG_ID, nullable=False),
        sa.Column("consent_pk", BIG_ID, nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=False),
        sa.Column("code_challenge_method", sa.String(length=8), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("used_at", WHEN, nullable=True),
        sa.Column("family", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_pk"], ["partners.id"], name=op.f("fk_oauth_codes_partner_pk_partners")
        ),
        sa.ForeignKeyConstraint(
            ["consent_pk"], ["consents.id"], name=op.f("fk_oauth_codes_consent_pk_consents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_oauth_codes_code_hash")),
    )
    op.create_index(op.f("ix_oauth_codes_partner_pk"), "oauth_codes", ["partner_pk"])
    op.create_index(op.f("ix_oauth_codes_consent_pk"), "oauth_codes", ["consent_pk"])


def downgrade() -> None:
    op.drop_table("oauth_codes")
