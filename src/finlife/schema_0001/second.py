"""Revision ``0001_core_bank``: the second third of its tables, as Alembic generated them."""

import sqlalchemy as sa
from alembic import op

import finlife.kit.db


def create() -> None:
    op.create_table(
        "marketing_campaigns",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=8), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("min_spend", sa.Integer(), nullable=False),
        sa.Column("cap", sa.Integer(), nullable=True),
        sa.Column("free_variation_id", sa.String(length=32), nullable=True),
        sa.Column("funding_merchant", sa.Integer(), nullable=False),
        sa.Column("funding_branch", sa.Integer(), nullable=False),
        sa.Column("funding_hq", sa.Integer(), nullable=False),
        sa.Column("budget_merchant", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("budget_branch", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("budget_hq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("spent_merchant", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("spent_branch", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("spent_hq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.Column("per_customer_limit", sa.Integer(), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("valid_from", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_to", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("valid_days", sa.Integer(), nullable=True),
        sa.Column("weekdays", sa.JSON(), nullable=True),
        sa.Column("hours", sa.String(length=11), nullable=True),
        sa.Column("merchant_ids", sa.JSON(), nullable=True),
        sa.Column("store_ids", sa.JSON(), nullable=True),
        sa.Column("district_id", sa.String(length=32), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=True),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("stackable", sa.Boolean(), nullable=False),
        sa.Column("sales_ledger_account_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=32), nullable=True),
        sa.Column("approved_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "funding_merchant + funding_branch + funding_hq = 100",
            name=op.f("ck_marketing_campaigns_funding_is_whole"),
        ),
        sa.CheckConstraint("issued <= stock", name=op.f("ck_marketing_campaigns_issued_within_stock")),
        sa.CheckConstraint(
            "spent_branch <= budget_branch", name=op.f("ck_marketing_campaigns_branch_budget_held")
        ),
        sa.CheckConstraint("spent_hq <= budget_hq", name=op.f("ck_marketing_campaigns_hq_budget_held")),
        sa.CheckConstraint(
            "spent_merchant <= budget_merchant", name=op.f("ck_marketing_campaigns_merchant_budget_held")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketing_campaigns")),
        sa.UniqueConstraint("public_id", name=op.f("uq_marketing_campaigns_public_id")),
    )
    with op.batch_alter_table("marketing_campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketing_campaigns_merchant_id"), ["merchant_id"], unique=False)

    op.create_table(
        "marketing_districts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("shape", sa.String(length=8), nullable=False),
        sa.Column("centre_latitude_micro", sa.Integer(), nullable=True),
        sa.Column("centre_longitude_micro", sa.Integer(), nullable=True),
        sa.Column("radius_m", sa.Integer(), nullable=True),
        sa.Column("polygon", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketing_districts")),
        sa.UniqueConstraint("public_id", name=op.f("uq_marketing_districts_public_id")),
    )
    op.create_table(
        "marketing_funnel_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("campaign_id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=8), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("occurred_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketing_funnel_events")),
    )
    with op.batch_alter_table("marketing_funnel_events", schema=None) as batch_op:
        batch_op.create_index("ix_marketing_funnel_campaign_step", ["campaign_id", "step"], unique=False)

    op.create_table(
        "merchants",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("legal_name", sa.String(length=128), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("mcc", sa.String(length=4), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("contact", sa.String(length=64), nullable=True),
        sa.Column("applicant_user_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("settlement_account_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("pending_ledger_account_id", sa.String(length=32), nullable=True),
        sa.Column("reject_reason", sa.String(length=200), nullable=True),
        sa.Column("applied_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchants")),
        sa.UniqueConstraint("pending_ledger_account_id", name=op.f("uq_merchants_pending_ledger_account_id")),
        sa.UniqueConstraint("public_id", name=op.f("uq_merchants_public_id")),
    )
    with op.batch_alter_table("merchants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merchants_applicant_user_id"), ["applicant_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_merchants_credit_code"), ["credit_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_merchants_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_merchants_status"), ["status"], unique=False)

    op.create_table(
        "outbox_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
        sa.UniqueConstraint("public_id", name=op.f("uq_outbox_events_public_id")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_events_published_at"), ["published_at"], unique=False)

    op.create_table(
        "payment_cash_books",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("drawer_ledger_id", sa.String(length=32), nullable=True),
        sa.Column("sales_ledger_id", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_cash_books")),
        sa.UniqueConstraint(
            "merchant_id", "currency", name=op.f("uq_payment_cash_books_merchant_id_currency")
        ),
    )
    op.create_table(
        "payment_codes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_codes")),
        sa.UniqueConstraint("code_digest", name=op.f("uq_payment_codes_code_digest")),
    )
    with op.batch_alter_table("payment_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_codes_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "payment_qr_tokens",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_qr_tokens")),
        sa.UniqueConstraint("token", name=op.f("uq_payment_qr_tokens_token")),
    )
    with op.batch_alter_table("payment_qr_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_qr_tokens_order_id"), ["order_id"], unique=False)

    op.create_table(
        "payment_qr_usage",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "day", "kind", name=op.f("pk_payment_qr_usage")),
    )
    op.create_table(
        "payment_refunds",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refunds_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refunds")),
        sa.UniqueConstraint("public_id", name=op.f("uq_payment_refunds_public_id")),
    )
    with op.batch_alter_table("payment_refunds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_refunds_order_id"), ["order_id"], unique=False)

    op.create_table(
        "payment_store_qrs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_store_qrs")),
        sa.UniqueConstraint("store_id", name=op.f("uq_payment_store_qrs_store_id")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=True),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("terminal_id", sa.String(length=32), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("qr_kind", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("tendered", sa.BigInteger(), nullable=True),
        sa.Column("change", sa.BigInteger(), nullable=True),
        sa.Column("card_id", sa.String(length=32), nullable=True),
        sa.Column("card_first6", sa.String(length=6), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("entry_mode", sa.String(length=16), nullable=True),
        sa.Column("response_code", sa.String(length=2), nullable=True),
        sa.Column("account_id", sa.String(length=32), nullable=True),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("refunded", sa.BigInteger(), nullable=False),
        sa.Column("fee_amount", sa.BigInteger(), nullable=False),
        sa.Column("fee_issuer", sa.BigInteger(), nullable=False),
        sa.Column("fee_network", sa.BigInteger(), nullable=False),
        sa.Column("fee_acquirer", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.CheckConstraint(
            "refunded >= 0 AND refunded <= amount", name=op.f("ck_payments_refunded_within_amount")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint("public_id", name=op.f("uq_payments_public_id")),
    )
    with op.batch_alter_table("payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payments_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_merchant_id"), ["merchant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payments_order_id"), ["order_id"], unique=False)

    op.create_table(
        "search_merchant_goods",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("tokens", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_merchant_goods")),
        sa.UniqueConstraint("merchant_id", name=op.f("uq_search_merchant_goods_merchant_id")),
    )
    op.create_table(
        "search_store_documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("store_tokens", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_store_documents")),
        sa.UniqueConstraint("store_id", name=op.f("uq_search_store_documents_store_id")),
    )
    with op.batch_alter_table("search_store_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_store_documents_merchant_id"), ["merchant_id"], unique=False
        )

    op.create_table(
        "settlement_cursors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("settled_through", sa.Date(), nullable=True),
        sa.Column("carried_pending", sa.BigInteger(), nullable=False),
        sa.Column("carried_fees", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_cursors")),
        sa.UniqueConstraint("merchant_id", name=op.f("uq_settlement_cursors_merchant_id")),
    )
    op.create_table(
        "settlement_interbank_positions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("bank_code", sa.String(length=16), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("card_count", sa.BigInteger(), nullable=False),
        sa.Column("card_amount", sa.BigInteger(), nullable=False),
        sa.Column("transfers_out_count", sa.BigInteger(), nullable=False),
        sa.Column("transfers_out_amount", sa.BigInteger(), nullable=False),
        sa.Column("transfers_in_count", sa.BigInteger(), nullable=False),
        sa.Column("transfers_in_amount", sa.BigInteger(), nullable=False),
        sa.Column("other_amount", sa.BigInteger(), nullable=False),
        sa.Column("movement", sa.BigInteger(), nullable=False),
        sa.Column("interchange", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_interbank_positions")),
        sa.UniqueConstraint(
            "bank_code",
            "business_date",
            name=op.f("uq_settlement_interbank_positions_bank_code_business_date"),
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_settlement_interbank_positions_public_id")),
    )
    with op.batch_alter_table("settlement_interbank_positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_settlement_interbank_positions_business_date"), ["business_date"], unique=False
        )

    op.create_table(
        "settlements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross", sa.BigInteger(), nullable=False),
        sa.Column("refunds", sa.BigInteger(), nullable=False),
        sa.Column("fees", sa.BigInteger(), nullable=False),
        sa.Column("carried_in_pending", sa.BigInteger(), nullable=False),
        sa.Column("carried_in_fees", sa.BigInteger(), nullable=False),
        sa.Column("settled", sa.BigInteger(), nullable=False),
        sa.Column("fees_charged", sa.BigInteger(), nullable=False),
        sa.Column("net", sa.BigInteger(), nullable=False),
        sa.Column("carried_out_pending", sa.BigInteger(), nullable=False),
        sa.Column("carried_out_fees", sa.BigInteger(), nullable=False),
        sa.Column("cash_gross", sa.BigInteger(), nullable=False),
        sa.Column("cash_refunds", sa.BigInteger(), nullable=False),
        sa.Column("tenders", sa.JSON(), nullable=False),
        sa.Column("settlement_account_id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlements")),
        sa.UniqueConstraint(
            "merchant_id", "business_date", name=op.f("uq_settlements_merchant_id_business_date")
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_settlements_public_id")),
    )
    with op.batch_alter_table("settlements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlements_business_date"), ["business_date"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("public_id", name=op.f("uq_users_public_id")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "cashier_applied_payments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("order_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payment_id", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("applied_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_pk"],
            ["cashier_orders.id"],
            name=op.f("fk_cashier_applied_payments_order_pk_cashier_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashier_applied_payments")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_cashier_applied_payments_payment_id")),
    )
    with op.batch_alter_table("cashier_applied_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cashier_applied_payments_order_pk"), ["order_pk"], unique=False)
