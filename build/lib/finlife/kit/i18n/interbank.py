"""Words of the interbank module: the bank directory, other banks' cards, transfers."""

MESSAGES: dict[str, dict[str, str]] = {
    "bank_exists": {
        "zh-CN": "该银行代码已在银行目录中",
        "en": "A bank with this code is already in the directory",
    },
    "unknown_bank": {"zh-CN": "银行目录中没有该银行", "en": "No bank with this code is in the directory"},
    "bin_taken": {
        "zh-CN": "卡 BIN {bin} 已属于银行 {bank}",
        "en": "BIN {bin} already belongs to bank {bank}",
    },
    "not_other_bank": {
        "zh-CN": "这不是可以跨行转账的他行",
        "en": "This is not another bank that takes transfers",
    },
    "interbank_unavailable": {
        "zh-CN": "暂不能向他行转账",
        "en": "Transfers to other banks are not available",
    },
    "iso20022_invalid": {
        "zh-CN": "ISO 20022 报文无效：{detail}",
        "en": "The ISO 20022 message is not valid: {detail}",
    },
    "thing.transfer": {"zh-CN": "转账", "en": "transfer"},
    "ui.pos.decline.do_not_honour": {"zh-CN": "发卡行拒绝", "en": "do not honour"},
    "ui.pos.decline.invalid_transaction": {"zh-CN": "无效交易", "en": "invalid transaction"},
    "ui.pos.decline.invalid_amount": {"zh-CN": "无效金额", "en": "invalid amount"},
    "ui.pos.decline.issuer_unavailable": {"zh-CN": "发卡行无应答", "en": "issuer unavailable"},
    "settlement_file_invalid": {
        "zh-CN": "清算文件第 {line} 行无效：{detail}",
        "en": "The settlement file is not valid at line {line}: {detail}",
    },
    "reconciliation_exists": {
        "zh-CN": "银行 {bank} 在 {date} 的对账已经完成",
        "en": "Bank {bank} was already reconciled for {date}",
    },
    "thing.reconciliation": {"zh-CN": "对账", "en": "reconciliation"},
    "off_us_refund_unsupported": {
        "zh-CN": "他行卡支付 {payment_id} 不能在此退款，请联系发卡行处理退货",
        "en": "Payment {payment_id} was made with another bank's card and cannot be refunded here",
    },
    "bound_account_not_verified": {
        "zh-CN": "他行未确认该绑定账户属于本人",
        "en": "The other bank did not confirm that the bound account is the customer's own",
    },
    "bank_unreachable": {
        "zh-CN": "暂时无法联系银行 {bank}，请稍后再试",
        "en": "Bank {bank} cannot be reached now; try again later",
    },
}
