"""Revision ``0001_core_bank``: the third third of its tables, as Alembic generated them."""

import sqlalchemy as sa
from alembic import op

import finlife.kit.db


def create() -> None:
    op.create_table(
        "cashier_cash_movements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("shift_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_cashier_cash_movements_amount_positive")),
        sa.ForeignKeyConstraint(
            ["shift_pk"],
            ["cashier_shifts.id"],
            name=op.f("fk_cashier_cash_movements_shift_pk_cashier_shifts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashier_cash_movements")),
        sa.UniqueConstraint("public_id", name=op.f("uq_cashier_cash_movements_public_id")),
    )
    with op.batch_alter_table("cashier_cash_movements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cashier_cash_movements_shift_pk"), ["shift_pk"], unique=False)

    op.create_table(
        "cashier_order_lines",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("order_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("variation_id", sa.String(length=32), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("line_total", sa.BigInteger(), nullable=False),
        sa.Column("returned_quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_cashier_order_lines_quantity_positive")),
        sa.CheckConstraint(
            "returned_quantity >= 0 AND returned_quantity <= quantity",
            name=op.f("ck_cashier_order_lines_returned_within"),
        ),
        sa.ForeignKeyConstraint(
            ["order_pk"], ["cashier_orders.id"], name=op.f("fk_cashier_order_lines_order_pk_cashier_orders")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cashier_order_lines")),
    )
    with op.batch_alter_table("cashier_order_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cashier_order_lines_order_pk"), ["order_pk"], unique=False)

    op.create_table(
        "catalog_variations",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("item_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("merchant_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("price > 0", name=op.f("ck_catalog_variations_price_positive")),
        sa.CheckConstraint(
            "stock IS NULL OR stock >= 0", name=op.f("ck_catalog_variations_stock_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["item_pk"], ["catalog_items.id"], name=op.f("fk_catalog_variations_item_pk_catalog_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_variations")),
        sa.UniqueConstraint("merchant_id", "sku", name=op.f("uq_catalog_variations_merchant_id_sku")),
        sa.UniqueConstraint("public_id", name=op.f("uq_catalog_variations_public_id")),
    )
    with op.batch_alter_table("catalog_variations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_variations_item_pk"), ["item_pk"], unique=False)

    op.create_table(
        "customer_interactions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor_user_id", sa.String(length=32), nullable=True),
        sa.Column("at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.public_id"],
            name=op.f("fk_customer_interactions_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_interactions")),
        sa.UniqueConstraint("public_id", name=op.f("uq_customer_interactions_public_id")),
    )
    with op.batch_alter_table("customer_interactions", schema=None) as batch_op:
        batch_op.create_index("ix_customer_interactions_customer_id_id", ["customer_id", "id"], unique=False)

    op.create_table(
        "debit_cards",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("account_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pan_digest", sa.String(length=64), nullable=False),
        sa.Column("first6", sa.String(length=6), nullable=False),
        sa.Column("last4", sa.String(length=4), nullable=False),
        sa.Column("pan_length", sa.Integer(), nullable=False),
        sa.Column("expiry_digest", sa.String(length=64), nullable=False),
        sa.Column("pin_hash", sa.String(length=255), nullable=False),
        sa.Column("pin_failures", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("issued_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_pk"], ["deposit_accounts.id"], name=op.f("fk_debit_cards_account_pk_deposit_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_debit_cards")),
        sa.UniqueConstraint("pan_digest", name=op.f("uq_debit_cards_pan_digest")),
        sa.UniqueConstraint("public_id", name=op.f("uq_debit_cards_public_id")),
    )
    with op.batch_alter_table("debit_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_debit_cards_account_pk"), ["account_pk"], unique=False)

    op.create_table(
        "holds",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("ledger_account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("destination_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("captured", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("expires_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("capture_entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_holds_capture_entry_id_journal_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["destination_id"], ["ledger_accounts.id"], name=op.f("fk_holds_destination_id_ledger_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["ledger_account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_holds_ledger_account_id_ledger_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
        sa.UniqueConstraint("public_id", name=op.f("uq_holds_public_id")),
    )
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holds_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_ledger_account_id"), ["ledger_account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_holds_status"), ["status"], unique=False)

    op.create_table(
        "interbank_reconciliation_exceptions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reconciliation_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("their_amount", sa.BigInteger(), nullable=True),
        sa.Column("our_amount", sa.BigInteger(), nullable=True),
        sa.Column("difference", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["reconciliation_id"],
            ["interbank_reconciliations.id"],
            name=op.f("fk_interbank_reconciliation_exceptions_reconciliation_id_interbank_reconciliations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interbank_reconciliation_exceptions")),
    )
    with op.batch_alter_table("interbank_reconciliation_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interbank_reconciliation_exceptions_reconciliation_id"),
            ["reconciliation_id"],
            unique=False,
        )

    op.create_table(
        "limit_usage",
        sa.Column("account_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("bucket", sa.String(length=8), nullable=False),
        sa.Column("period", sa.String(length=11), nullable=False),
        sa.Column("used", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_pk"], ["deposit_accounts.id"], name=op.f("fk_limit_usage_account_pk_deposit_accounts")
        ),
        sa.PrimaryKeyConstraint("account_pk", "bucket", "period", name=op.f("pk_limit_usage")),
    )
    op.create_table(
        "marketing_claim_counts",
        sa.Column("campaign_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("claimed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_pk"],
            ["marketing_campaigns.id"],
            name=op.f("fk_marketing_claim_counts_campaign_pk_marketing_campaigns"),
        ),
        sa.PrimaryKeyConstraint("campaign_pk", "customer_id", name=op.f("pk_marketing_claim_counts")),
    )
    op.create_table(
        "marketing_coupons",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("campaign_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("valid_from", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_to", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("price", sa.Integer(), nullable=False),
        sa.Column("paid_from_account", sa.String(length=32), nullable=True),
        sa.Column("purchase_entry_id", sa.String(length=32), nullable=True),
        sa.Column("share_token", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("order_id", sa.String(length=32), nullable=True),
        sa.Column("order_subtotal", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("discount", sa.Integer(), nullable=True),
        sa.Column("prepaid_share", sa.Integer(), nullable=True),
        sa.Column("merchant_share", sa.Integer(), nullable=True),
        sa.Column("branch_share", sa.Integer(), nullable=True),
        sa.Column("hq_share", sa.Integer(), nullable=True),
        sa.Column("order_paid", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("order_refunded", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("subsidy_entry_id", sa.String(length=32), nullable=True),
        sa.Column("claimed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("redeemed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("refund_entry_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_pk"],
            ["marketing_campaigns.id"],
            name=op.f("fk_marketing_coupons_campaign_pk_marketing_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketing_coupons")),
        sa.UniqueConstraint("code", name=op.f("uq_marketing_coupons_code")),
        sa.UniqueConstraint("public_id", name=op.f("uq_marketing_coupons_public_id")),
    )
    with op.batch_alter_table("marketing_coupons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_marketing_coupons_campaign_pk"), ["campaign_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_marketing_coupons_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index("ix_marketing_coupons_due", ["status", "valid_to"], unique=False)
        batch_op.create_index(batch_op.f("ix_marketing_coupons_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_marketing_coupons_share_token"), ["share_token"], unique=False)

    op.create_table(
        "merchant_members",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_pk"], ["merchants.id"], name=op.f("fk_merchant_members_merchant_pk_merchants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_merchant_members")),
        sa.UniqueConstraint("merchant_pk", "user_id", name=op.f("uq_merchant_members_merchant_pk_user_id")),
        sa.UniqueConstraint("public_id", name=op.f("uq_merchant_members_public_id")),
    )
    with op.batch_alter_table("merchant_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_merchant_members_merchant_pk"), ["merchant_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_merchant_members_user_id"), ["user_id"], unique=False)

    op.create_table(
        "payment_refund_parts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("refund_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payment_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refund_parts_amount_positive")),
        sa.ForeignKeyConstraint(
            ["payment_pk"], ["payments.id"], name=op.f("fk_payment_refund_parts_payment_pk_payments")
        ),
        sa.ForeignKeyConstraint(
            ["refund_pk"],
            ["payment_refunds.id"],
            name=op.f("fk_payment_refund_parts_refund_pk_payment_refunds"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refund_parts")),
    )
    with op.batch_alter_table("payment_refund_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_refund_parts_payment_pk"), ["payment_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_refund_parts_refund_pk"), ["refund_pk"], unique=False)

    op.create_table(
        "postings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ledger_account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entries.id"], name=op.f("fk_postings_entry_id_journal_entries")
        ),
        sa.ForeignKeyConstraint(
            ["ledger_account_id"],
            ["ledger_accounts.id"],
            name=op.f("fk_postings_ledger_account_id_ledger_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postings")),
    )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_postings_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index("ix_postings_ledger_account_id_id", ["ledger_account_id", "id"], unique=False)

    op.create_table(
        "stores",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("merchant_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("district", sa.String(length=32), nullable=False),
        sa.Column("latitude_micro", sa.Integer(), nullable=False),
        sa.Column("longitude_micro", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("opening_hours", sa.String(length=11), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_pk"], ["merchants.id"], name=op.f("fk_stores_merchant_pk_merchants")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stores")),
        sa.UniqueConstraint("public_id", name=op.f("uq_stores_public_id")),
    )
    with op.batch_alter_table("stores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stores_district"), ["district"], unique=False)
        batch_op.create_index(batch_op.f("ix_stores_merchant_pk"), ["merchant_pk"], unique=False)

    op.create_table(
        "transfers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("from_account_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("to_account_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("memo", sa.String(length=140), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_account_pk"],
            ["deposit_accounts.id"],
            name=op.f("fk_transfers_from_account_pk_deposit_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["to_account_pk"],
            ["deposit_accounts.id"],
            name=op.f("fk_transfers_to_account_pk_deposit_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
        sa.UniqueConstraint("public_id", name=op.f("uq_transfers_public_id")),
    )
    op.create_table(
        "merchant_member_stores",
        sa.Column("member_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("store_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_pk"],
            ["merchant_members.id"],
            name=op.f("fk_merchant_member_stores_member_pk_merchant_members"),
        ),
        sa.ForeignKeyConstraint(
            ["store_pk"], ["stores.id"], name=op.f("fk_merchant_member_stores_store_pk_stores")
        ),
        sa.PrimaryKeyConstraint("member_pk", "store_pk", name=op.f("pk_merchant_member_stores")),
    )
    op.create_table(
        "terminals",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("terminal_id", sa.String(length=8), nullable=False),
        sa.Column("merchant_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("store_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", finlife.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merchant_pk"], ["merchants.id"], name=op.f("fk_terminals_merchant_pk_merchants")
        ),
        sa.ForeignKeyConstraint(["store_pk"], ["stores.id"], name=op.f("fk_terminals_store_pk_stores")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terminals")),
        sa.UniqueConstraint("terminal_id", name=op.f("uq_terminals_terminal_id")),
    )
    with op.batch_alter_table("terminals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_terminals_merchant_pk"), ["merchant_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_terminals_store_pk"), ["store_pk"], unique=False)
