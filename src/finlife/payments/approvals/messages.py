"""The words of refunds that wait for a manager's approval, in both languages."""

MESSAGES: dict[str, dict[str, str]] = {
    "refund_request_decided": {
        "zh-CN": "该退款申请已处理（{status}），不能再次处理",
        "en": "This refund request has already been decided ({status})",
    },
    "refund_request_own": {
        "zh-CN": "不能批准自己提交的退款申请",
        "en": "You cannot approve a refund you asked for yourself",
    },
    "refund_reject_reason": {
        "zh-CN": "请填写驳回原因",
        "en": "Give a reason for rejecting",
    },
    "thing.refund_request": {"zh-CN": "退款申请", "en": "refund request"},
    # Pages
    "ui.nav.refund_approvals": {"zh-CN": "待批退款", "en": "Refund approvals"},
    "ui.refunds.review_title": {"zh-CN": "确认退款", "en": "Review the refund"},
    "ui.refunds.review_lead": {
        "zh-CN": "请核对退款金额和退回方式，确认后资金将立即退回",
        "en": "Check the amount and where it goes back; the money moves when you confirm",
    },
    "ui.refunds.goods_back": {"zh-CN": "退回的商品", "en": "Goods returned"},
    "ui.refunds.no_goods": {"zh-CN": "不退回商品（仅退款）", "en": "No goods returned (money only)"},
    "ui.refunds.goes_back_to": {"zh-CN": "退回至", "en": "Goes back to"},
    "ui.refunds.confirm": {"zh-CN": "确认退款 {amount}", "en": "Refund {amount}"},
    "ui.refunds.ask_approval": {"zh-CN": "提交店长审批", "en": "Ask the manager to approve"},
    "ui.refunds.needs_approval": {
        "zh-CN": "金额超过 {threshold}，需店长批准后才会退款",
        "en": "Above {threshold} the manager must approve before the money goes back",
    },
    "ui.refunds.change": {"zh-CN": "返回修改", "en": "Change it"},
    "ui.refunds.choose_lines": {"zh-CN": "选择退回的商品", "en": "Choose the goods returned"},
    "ui.refunds.quantity_of": {
        "zh-CN": "{name} 退回数量（最多 {max}）",
        "en": "{name}: pieces returned (up to {max})",
    },
    "ui.refunds.amount_hint": {
        "zh-CN": "最多可退 {amount}；留空则按所选商品计算",
        "en": "Up to {amount}; leave empty to refund the chosen goods' value",
    },
    "ui.refunds.nothing_chosen": {
        "zh-CN": "请选择退回的商品或填写退款金额",
        "en": "Choose the goods returned or type an amount",
    },
    "ui.refunds.quantity_invalid": {"zh-CN": "请填写整数件数", "en": "Type a whole number of pieces"},
    "ui.refunds.review_submit": {"zh-CN": "下一步：核对", "en": "Next: review"},
    "ui.refunds.requested": {
        "zh-CN": "退款申请已提交，等待店长批准",
        "en": "Refund request sent to the manager",
    },
    "ui.refunds.pending_on_order": {
        "zh-CN": "有 {count} 笔退款申请等待店长批准",
        "en": "{count:plural:refund request:refund requests} waiting for the manager",
    },
    "ui.refunds.requests_title": {"zh-CN": "待批退款", "en": "Refunds to approve"},
    "ui.refunds.requests_empty": {"zh-CN": "没有待批准的退款", "en": "No refunds waiting for approval"},
    "ui.refunds.requests_empty_body": {
        "zh-CN": "收银员提交的大额退款会在这里等待您批准",
        "en": "Large refunds your cashiers ask for wait here for you",
    },
    "ui.refunds.requested_by": {"zh-CN": "申请人", "en": "Asked by"},
    "ui.refunds.approve": {"zh-CN": "批准并退款", "en": "Approve and refund"},
    "ui.refunds.reject": {"zh-CN": "驳回", "en": "Reject"},
    "ui.refunds.reject_reason": {"zh-CN": "驳回原因", "en": "Reason for rejecting"},
    "ui.refunds.approved": {"zh-CN": "已批准，款项已退回", "en": "Approved: the money has gone back"},
    "ui.refunds.rejected": {"zh-CN": "已驳回该退款申请", "en": "Refund request rejected"},
    "ui.refunds.status.awaiting_approval": {"zh-CN": "待批准", "en": "Awaiting approval"},
    "ui.refunds.status.approved": {"zh-CN": "已批准", "en": "Approved"},
    "ui.refunds.status.rejected": {"zh-CN": "已驳回", "en": "Rejected"},
}
