"""Revision ``0001_core_bank``: the first third of its tables, as Alembic generated them."""

import sqlalchemy as sa
from alembic import op

import finlife.kit.db


def create() -> None:
    op.create_table(
        "account_class_counts",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("account_class", sa.String(length=3), nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "account_class", name=op.f("pk_account_class_counts")),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_user_id", sa.String(length=32), nullable=True),
        sa.Column("actor_username", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("public_id", name=op.f("uq_audit_events_public_id")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_actor_user_id"), ["actor_user_id"], unique=False)
        batch_op.create_index("ix_audit_events_at", ["at"], unique=False, postgresql_using="brin")
        batch_op.create_index(batch_op.f("ix_audit_events_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "cashier_orders",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("terminal_id", sa.String(length=32), nullable=False),
        sa.Column("cashier_user_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("subtotal", sa.BigInteger(), nullable=False),
        sa.Column("discount", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("refunded", sa.BigInteger(), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("paid_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("paid >= 0 AND paid <= total", name=op.f("ck_cashier_orders_paid_within_total")),
        sa.CheckConstraint(
            "refunded >= 0 AND refunded <= paid", name=op.f("ck_cashier_orders_refunded_within_paid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashier_orders")),
        sa.UniqueConstraint("public_id", name=op.f("uq_cashier_orders_public_id")),
    )
    with op.batch_alter_table("cashier_orders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cashier_orders_merchant_id"), ["merchant_id"], unique=False)
        batch_op.create_index("ix_cashier_orders_store_created", ["store_id", "created_at"], unique=False)

    op.create_table(
        "cashier_shifts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("terminal_id", sa.String(length=32), nullable=False),
        sa.Column("open_terminal_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("cashier_user_id", sa.String(length=32), nullable=False),
        sa.Column("opening_float", sa.BigInteger(), nullable=False),
        sa.Column("opened_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("counted_cash", sa.BigInteger(), nullable=True),
        sa.Column("expected_cash", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashier_shifts")),
        sa.UniqueConstraint("open_terminal_id", name=op.f("uq_cashier_shifts_open_terminal_id")),
        sa.UniqueConstraint("public_id", name=op.f("uq_cashier_shifts_public_id")),
    )
    with op.batch_alter_table("cashier_shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cashier_shifts_merchant_id"), ["merchant_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cashier_shifts_store_id"), ["store_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cashier_shifts_terminal_id"), ["terminal_id"], unique=False)

    op.create_table(
        "catalog_items",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("archived_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_items")),
        sa.UniqueConstraint("public_id", name=op.f("uq_catalog_items_public_id")),
    )
    with op.batch_alter_table("catalog_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_items_merchant_id"), ["merchant_id"], unique=False)

    op.create_table(
        "customers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("kyc_level", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("gender", sa.String(length=8), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("verified_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("id_number", name=op.f("uq_customers_id_number")),
        sa.UniqueConstraint("phone", name=op.f("uq_customers_phone")),
        sa.UniqueConstraint("public_id", name=op.f("uq_customers_public_id")),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customers_name"), ["name"], unique=False)

    op.create_table(
        "deposit_accounts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.String(length=19), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("account_class", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("ledger_account_id", sa.String(length=32), nullable=False),
        sa.Column("bound_account_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("bound_bank_code", sa.String(length=16), nullable=True),
        sa.Column("bound_number", sa.String(length=34), nullable=True),
        sa.Column("bound_verified", sa.Boolean(), nullable=False),
        sa.Column("opened_channel", sa.String(length=16), nullable=False),
        sa.Column("opened_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bound_account_pk"],
            ["deposit_accounts.id"],
            name=op.f("fk_deposit_accounts_bound_account_pk_deposit_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_accounts")),
        sa.UniqueConstraint("ledger_account_id", name=op.f("uq_deposit_accounts_ledger_account_id")),
        sa.UniqueConstraint("number", name=op.f("uq_deposit_accounts_number")),
        sa.UniqueConstraint("public_id", name=op.f("uq_deposit_accounts_public_id")),
    )
    with op.batch_alter_table("deposit_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deposit_accounts_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.JSON(), nullable=False),
        sa.Column(
            "created_at",
            finlife.kit.db.UTCDateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("scope", "key", name=op.f("uq_idempotency_keys_scope_key")),
    )
    op.create_table(
        "interbank_banks",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=140), nullable=False),
        sa.Column("bins", sa.JSON(), nullable=False),
        sa.Column("iso8583_endpoints", sa.JSON(), nullable=False),
        sa.Column("iso20022_url", sa.String(length=255), nullable=True),
        sa.Column("timeout_ms", sa.Integer(), nullable=False),
        sa.Column("clearing_ledger_account_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interbank_banks")),
        sa.UniqueConstraint("code", name=op.f("uq_interbank_banks_code")),
    )
    op.create_table(
        "interbank_card_authorisations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("bank_code", sa.String(length=16), nullable=False),
        sa.Column("stan", sa.String(length=6), nullable=False),
        sa.Column("rrn", sa.String(length=12), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("card_first6", sa.String(length=6), nullable=False),
        sa.Column("card_last4", sa.String(length=4), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("terminal_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("response_code", sa.String(length=2), nullable=True),
        sa.Column("auth_code", sa.String(length=6), nullable=True),
        sa.Column("endpoint", sa.String(length=64), nullable=True),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interbank_card_authorisations")),
        sa.UniqueConstraint("public_id", name=op.f("uq_interbank_card_authorisations_public_id")),
        sa.UniqueConstraint("rrn", name=op.f("uq_interbank_card_authorisations_rrn")),
    )
    with op.batch_alter_table("interbank_card_authorisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interbank_card_authorisations_bank_code"), ["bank_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interbank_card_authorisations_business_date"), ["business_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interbank_card_authorisations_status"), ["status"], unique=False)

    op.create_table(
        "interbank_reconciliations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("bank_code", sa.String(length=16), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("matched", sa.Integer(), nullable=False),
        sa.Column("missing_ours", sa.Integer(), nullable=False),
        sa.Column("missing_theirs", sa.Integer(), nullable=False),
        sa.Column("amount_mismatch", sa.Integer(), nullable=False),
        sa.Column("their_total", sa.BigInteger(), nullable=False),
        sa.Column("our_total", sa.BigInteger(), nullable=False),
        sa.Column("suspense_total", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interbank_reconciliations")),
        sa.UniqueConstraint(
            "bank_code", "business_date", name=op.f("uq_interbank_reconciliations_bank_code_business_date")
        ),
        sa.UniqueConstraint("public_id", name=op.f("uq_interbank_reconciliations_public_id")),
    )
    with op.batch_alter_table("interbank_reconciliations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interbank_reconciliations_business_date"), ["business_date"], unique=False
        )

    op.create_table(
        "interbank_transfers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("bank_code", sa.String(length=16), nullable=False),
        sa.Column("uetr", sa.String(length=36), nullable=False),
        sa.Column("end_to_end_id", sa.String(length=35), nullable=False),
        sa.Column("msg_id", sa.String(length=35), nullable=False),
        sa.Column("account_id", sa.String(length=32), nullable=True),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("counterparty_account", sa.String(length=34), nullable=False),
        sa.Column("counterparty_name", sa.String(length=140), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("memo", sa.String(length=140), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("hold_id", sa.String(length=32), nullable=True),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interbank_transfers")),
        sa.UniqueConstraint("public_id", name=op.f("uq_interbank_transfers_public_id")),
        sa.UniqueConstraint("uetr", name=op.f("uq_interbank_transfers_uetr")),
    )
    with op.batch_alter_table("interbank_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interbank_transfers_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interbank_transfers_bank_code"), ["bank_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_interbank_transfers_business_date"), ["business_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interbank_transfers_status"), ["status"], unique=False)

    op.create_table(
        "jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("stage_params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_params", sa.JSON(), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_jobs_public_id")),
    )
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("memo", sa.String(length=140), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("reverses_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_entries_reverses_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
        sa.UniqueConstraint("public_id", name=op.f("uq_journal_entries_public_id")),
    )
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.create_index(
            "uq_journal_entries_reverses_id",
            ["reverses_id"],
            unique=True,
            postgresql_where=sa.text("reverses_id IS NOT NULL"),
            sqlite_where=sa.text("reverses_id IS NOT NULL"),
        )

    op.create_table(
        "ledger_accounts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=96), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("normal_side", sa.String(length=6), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("held", sa.BigInteger(), nullable=False),
        sa.Column("allow_overdraft", sa.Boolean(), nullable=False),
        sa.Column("balance_cap", sa.BigInteger(), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_accounts")),
        sa.UniqueConstraint("code", name=op.f("uq_ledger_accounts_code")),
        sa.UniqueConstraint("public_id", name=op.f("uq_ledger_accounts_public_id")),
    )
    op.create_table(
        "life_reviews",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("reply", sa.String(length=1000), nullable=True),
        sa.Column("replied_by", sa.String(length=32), nullable=True),
        sa.Column("replied_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("rating >= 1 AND rating <= 5", name=op.f("ck_life_reviews_rating_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_life_reviews")),
        sa.UniqueConstraint("order_id", name=op.f("uq_life_reviews_order_id")),
        sa.UniqueConstraint("public_id", name=op.f("uq_life_reviews_public_id")),
    )
    with op.batch_alter_table("life_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_life_reviews_store_id"), ["store_id"], unique=False)

    op.create_table(
        "life_shares",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("token", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=32), nullable=True),
        sa.Column("campaign_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(store_id IS NULL) <> (campaign_id IS NULL)", name=op.f("ck_life_shares_store_or_campaign")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_life_shares")),
        sa.UniqueConstraint("public_id", name=op.f("uq_life_shares_public_id")),
        sa.UniqueConstraint("token", name=op.f("uq_life_shares_token")),
    )
    with op.batch_alter_table("life_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_life_shares_customer_id"), ["customer_id"], unique=False)

    op.create_table(
        "life_store_ratings",
        sa.Column("store_id", sa.String(length=32), nullable=False),
        sa.Column("review_count", sa.Integer(), nullable=False),
        sa.Column("rating_sum", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", name=op.f("pk_life_store_ratings")),
    )
