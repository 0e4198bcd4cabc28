"""The words of partners' payments, in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "consent_required": {
        "zh-CN": "此调用须使用客户授权（consent）下的令牌",
        "en": "This call needs a token issued under a customer's consent",
    },
    "payee_unknown": {"zh-CN": "收款账户不存在", "en": "No such payee account"},
    "payee_name_mismatch": {
        "zh-CN": "收款人户名与账户不符",
        "en": "The payee's name is not the account holder's",
    },
    "partner_payment_not_awaiting": {
        "zh-CN": "该付款不在待确认状态（{status}）",
        "en": "This payment is not awaiting confirmation ({status})",
    },
    "thing.partner_payment": {"zh-CN": "合作方付款", "en": "partner payment"},
    "ui.partner_payments.title": {"zh-CN": "合作方付款确认", "en": "Partner payments"},
    "ui.partner_payments.lead": {
        "zh-CN": "您授权的合作方发起的大额或超出每日额度的付款，须您确认后才会支付。",
        "en": (
            "Payments your partners asked for above the amount or daily total you allowed"
            " move only once you confirm them."
        ),
    },
    "ui.partner_payments.none": {"zh-CN": "暂无合作方付款", "en": "No partner payments"},
    "ui.partner_payments.awaiting": {"zh-CN": "待您确认", "en": "Awaiting you"},
    "ui.partner_payments.recent": {"zh-CN": "近期付款", "en": "Recent payments"},
    "ui.partner_payments.payee": {"zh-CN": "收款人", "en": "Payee"},
    "ui.partner_payments.from": {"zh-CN": "付款账户", "en": "From account"},
    "ui.partner_payments.reference": {"zh-CN": "附言", "en": "Reference"},
    "ui.partner_payments.confirm_by": {"zh-CN": "请在此时间前确认", "en": "Confirm before"},
    "ui.partner_payments.confirm": {"zh-CN": "确认付款", "en": "Confirm payment"},
    "ui.partner_payments.decline": {"zh-CN": "拒绝", "en": "Decline"},
    "ui.partner_payments.confirmed": {"zh-CN": "付款已确认", "en": "Payment confirmed"},
    "ui.partner_payments.declined": {"zh-CN": "付款已拒绝", "en": "Payment declined"},
    "ui.partner_payments.status.completed": {"zh-CN": "已支付", "en": "Paid"},
    "ui.partner_payments.status.sent": {"zh-CN": "已发往他行", "en": "Sent to the other bank"},
    "ui.partner_payments.status.awaiting_confirmation": {"zh-CN": "待确认", "en": "Awaiting confirmation"},
    "ui.partner_payments.status.declined": {"zh-CN": "已拒绝", "en": "Declined"},
    "ui.partner_payments.hint": {
        "zh-CN": "确认或拒绝合作方发起的付款",
        "en": "Confirm or decline payments partners asked for",
    },
}
