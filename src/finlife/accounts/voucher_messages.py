"""The words of the counter's cash vouchers, in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.voucher.title.cash_deposit": {"zh-CN": "现金存款凭证", "en": "Cash deposit voucher"},
    "ui.voucher.title.cash_withdrawal": {"zh-CN": "现金取款凭证", "en": "Cash withdrawal voucher"},
    "ui.voucher.back": {"zh-CN": "返回 {name} 的客户页", "en": "Back to {name}"},
    "ui.voucher.print": {"zh-CN": "打印凭证", "en": "Print the voucher"},
    "ui.voucher.holder": {"zh-CN": "户名", "en": "Account holder"},
    "ui.voucher.account": {"zh-CN": "账号", "en": "Account"},
    "ui.voucher.amount": {"zh-CN": "金额（小写）", "en": "Amount"},
    "ui.voucher.capitals": {"zh-CN": "金额（大写）", "en": "Amount in capitals"},
    "ui.voucher.rmb": {"zh-CN": "人民币", "en": "RMB"},
    "ui.voucher.time": {"zh-CN": "交易时间", "en": "Time"},
    "ui.voucher.branch": {"zh-CN": "网点", "en": "Branch"},
    "ui.voucher.reference": {"zh-CN": "流水号", "en": "Reference"},
    "ui.voucher.signature": {"zh-CN": "客户签名", "en": "Customer's signature"},
}
