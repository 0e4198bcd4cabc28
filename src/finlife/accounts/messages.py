"""Words of statements as customers read them (every kind of entry that touches a deposit account, and
the detail page of a line), registered when ``finlife.accounts`` is imported."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    # payee_name_mismatch is the partners' payments' word (the same refusal, one catalogue key).
    "payee_phone_unknown": {
        "zh-CN": "该手机号未注册本行账户，请改用账号或卡号转账",
        "en": "No customer of this bank has this phone: pay by account or card number instead",
    },
    "payee_is_own_account": {
        "zh-CN": "这是您本人的账户，无需保存为收款人",
        "en": "This is your own account: it need not be saved as a payee",
    },
    # Transfers: the form, the confirmation
    "ui.transfer.to_saved": {"zh-CN": "转给已存收款人", "en": "To a saved payee"},
    "ui.transfer.saved_payee": {"zh-CN": "已存收款人", "en": "Saved payee"},
    "ui.transfer.choose_saved": {"zh-CN": "请选择收款人", "en": "Choose a payee"},
    "ui.transfer.save_payee": {"zh-CN": "保存收款人，下次直接选择", "en": "Save this payee for next time"},
    "ui.payees.title": {"zh-CN": "收款人名册", "en": "Saved payees"},
    "ui.payees.lead": {
        "zh-CN": "转账成功后勾选“保存收款人”即可加入",
        "en": "Tick “Save this payee” on a transfer's confirmation to add one",
    },
    "ui.payees.line": {"zh-CN": "{name} · 尾号 {last4}", "en": "{name} · ending {last4}"},
    "ui.payees.manage": {"zh-CN": "管理收款人", "en": "Manage saved payees"},
    "ui.payees.empty": {"zh-CN": "还没有收款人", "en": "No saved payees yet"},
    "ui.payees.delete": {"zh-CN": "删除", "en": "Delete"},
    "ui.payees.delete_label": {"zh-CN": "删除收款人 {name}", "en": "Delete payee {name}"},
    "ui.payees.deleted": {"zh-CN": "已删除收款人", "en": "Payee deleted"},
    "ui.transfer.limits": {"zh-CN": "转账限额", "en": "Transfer limits"},
    "ui.transfer.limit_left": {
        "zh-CN": "今日还可转出 {daily}，本年还可转出 {yearly}",
        "en": "{daily} left today, {yearly} left this year",
    },
    "ui.transfer.no_class_limit": {
        "zh-CN": "Ⅰ类账户转出不设类别限额",
        "en": "No class limit on payments out of a Class I account",
    },
    "ui.transfer.password_above": {
        "zh-CN": "向他人转账超过 {amount} 需输入支付密码",
        "en": "Transfers to others above {amount} ask for your payment password",
    },
    "ui.transfer.to_whom": {"zh-CN": "转给谁", "en": "Pay whom"},
    "ui.transfer.by_number": {"zh-CN": "账号或卡号转账", "en": "By account or card number"},
    "ui.transfer.by_phone": {"zh-CN": "手机号转账", "en": "By phone number"},
    "ui.transfer.to_own": {"zh-CN": "转到本人账户", "en": "To my own account"},
    "ui.transfer.number": {"zh-CN": "收款账号或卡号", "en": "Payee's account or card number"},
    "ui.transfer.number_hint": {
        "zh-CN": "本行账号或银行卡号，可带空格",
        "en": "An account or card number of this bank; spaces are fine",
    },
    "ui.transfer.name": {"zh-CN": "收款人姓名", "en": "Payee's name"},
    "ui.transfer.name_hint": {
        "zh-CN": "须与账户户名一致",
        "en": "As on the account",
    },
    "ui.transfer.phone": {"zh-CN": "收款人手机号", "en": "Payee's phone number"},
    "ui.transfer.next": {"zh-CN": "下一步", "en": "Next"},
    "ui.transfer.confirm_title": {"zh-CN": "确认转账信息", "en": "Confirm the transfer"},
    "ui.transfer.payee": {"zh-CN": "收款人", "en": "Payee"},
    "ui.transfer.fee": {"zh-CN": "手续费", "en": "Fee"},
    "ui.transfer.arrival": {"zh-CN": "到账时间", "en": "Arrives"},
    "ui.transfer.instant": {"zh-CN": "实时到账", "en": "Now"},
    "ui.transfer.check_hint": {
        "zh-CN": "请核对收款人，转出后无法撤回",
        "en": "Check the payee: a transfer cannot be called back",
    },
    "ui.transfer.password_hint": {
        "zh-CN": "6 位数字，不是登录密码",
        "en": "Six digits; not your sign-in password",
    },
    "ui.transfer.set_password_first": {
        "zh-CN": "超过限额的转账需要支付密码，您还没有设置。",
        "en": "A transfer this large needs a payment password, and you have not set one.",
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
