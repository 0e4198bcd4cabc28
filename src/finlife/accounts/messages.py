"""Words of statements as customers read them (every kind of entry that touches a deposit account, and
the detail page of a line), registered when ``finlife.accounts`` is imported."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # payee_name_mismatch is the partners' payments' word (the same refusal, one catalogue key).
    "payee_phone_unknown": {
        "zh-CN": "该手机号未注册本行账户，请改用账号或卡号转账",
        "en": "No customer of this bank has this phone: pay by account or card number instead",
    },
    "ui.kind.qr_payment": {"zh-CN": "扫码付款", "en": "QR payment"},
    "ui.kind.code_payment": {"zh-CN": "付款码支付", "en": "Payment code"},
    "ui.kind.card_payment": {"zh-CN": "刷卡消费", "en": "Card payment"},
    "ui.kind.card_payment_off_us": {"zh-CN": "他行卡消费", "en": "Card payment (other bank)"},
    "ui.kind.card_refund": {"zh-CN": "刷卡退款", "en": "Card refund"},
    "ui.kind.qr_merchant_refund": {"zh-CN": "扫码退款", "en": "QR payment refund"},
    "ui.kind.payment_code_refund": {"zh-CN": "付款码退款", "en": "Payment code refund"},
    "ui.kind.interbank_transfer_in": {"zh-CN": "跨行转入", "en": "Transfer from another bank"},
    "ui.kind.merchant_settlement": {"zh-CN": "商户结算", "en": "Merchant settlement"},
    "ui.kind.cash_sale": {"zh-CN": "现金销售", "en": "Cash sale"},
    "ui.kind.coupon_subsidy": {"zh-CN": "优惠券补贴", "en": "Coupon subsidy"},
    "ui.kind.coupon_subsidy_reversal": {"zh-CN": "优惠券补贴冲回", "en": "Coupon subsidy reversed"},
    "ui.line.title": {"zh-CN": "交易详情", "en": "Transaction details"},
    "ui.line.kind": {"zh-CN": "交易类型", "en": "Type"},
    "ui.line.counterparty": {"zh-CN": "对方", "en": "Counterparty"},
    "ui.line.amount": {"zh-CN": "金额", "en": "Amount"},
    "ui.line.time": {"zh-CN": "时间", "en": "Time"},
    "ui.line.memo": {"zh-CN": "附言", "en": "Note"},
    "ui.line.balance_after": {"zh-CN": "交易后余额", "en": "Balance after"},
    "ui.line.reference": {"zh-CN": "交易参考号", "en": "Reference"},
    "ui.line.payment": {"zh-CN": "查看订单", "en": "See the order"},
    "ui.line.back": {"zh-CN": "返回账户", "en": "Back to the account"},
}

register(MESSAGES)
