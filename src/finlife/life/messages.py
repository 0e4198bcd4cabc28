"""Words of the customer's own orders and payment results, registered when ``finlife.life`` is imported."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
    "ui.orders.title": {"zh-CN": "我的订单", "en": "My orders"},
    "ui.orders.lead": {
        "zh-CN": "您用账户付过款的订单，最新的在前",
        "en": "What you paid from your accounts, newest first",
    },
    "ui.orders.tabs": {"zh-CN": "订单筛选", "en": "Show"},
    "ui.orders.all": {"zh-CN": "全部", "en": "All"},
    "ui.orders.to_review": {"zh-CN": "待评价", "en": "To review"},
    "ui.orders.empty.all": {"zh-CN": "还没有订单", "en": "No orders yet"},
    "ui.orders.empty.to_review": {"zh-CN": "没有待评价的订单", "en": "Nothing to review"},
    "ui.orders.empty_body": {
        "zh-CN": "在商户扫码或出示付款码付款后，订单会出现在这里",
        "en": "Pay at a store by scanning its code or showing yours, and the order appears here",
    },
    "ui.orders.review": {"zh-CN": "去评价", "en": "Review"},
    "ui.orders.state.reviewed": {"zh-CN": "已评价", "en": "Reviewed"},
    "ui.orders.state.closed": {"zh-CN": "已过评价期", "en": "Review period over"},
    "ui.orders.state.to_review": {"zh-CN": "待评价", "en": "To review"},
    "ui.orders.refunded": {"zh-CN": "已退 {amount}", "en": "{amount} refunded"},
    "ui.orders.link_hint": {
        "zh-CN": "付款记录、评价消费",
        "en": "Your payments; review a visit",
    },
    # The result of a payment
    "ui.result.paid": {"zh-CN": "付款成功", "en": "Payment successful"},
    "ui.result.payee": {"zh-CN": "收款方", "en": "Paid to"},
    "ui.result.amount": {"zh-CN": "金额", "en": "Amount"},
    "ui.result.time": {"zh-CN": "时间", "en": "Time"},
    "ui.result.method": {"zh-CN": "付款方式", "en": "Paid by"},
    "ui.result.account": {"zh-CN": "付款账户", "en": "From account"},
    "ui.result.reference": {"zh-CN": "交易参考号", "en": "Reference"},
    "ui.result.done": {"zh-CN": "完成", "en": "Done"},
    "ui.result.orders": {"zh-CN": "查看我的订单", "en": "See my orders"},
    "ui.result.review_hint": {
        "zh-CN": "您可在 30 天内评价这次消费",
        "en": "You can review this visit within 30 days",
    },
    "ui.result.account_tail": {"zh-CN": "尾号 {last4}", "en": "ending {last4}"},
    "ui.coupon.validity": {"zh-CN": "有效期", "en": "Valid"},
    "ui.life.claimed_all": {
        "zh-CN": "您已领取（每人限 {limit} 张）",
        "en": "You have claimed yours (limit {limit} per person)",
    },
    # Where a coupon can be used
    "ui.scope.title": {"zh-CN": "适用范围", "en": "Where"},
    "ui.scope.stores": {"zh-CN": "适用门店：{names}", "en": "At {names}"},
    "ui.scope.more": {"zh-CN": " 等 {count} 家", "en": " and {count} more"},
    "ui.scope.merchant": {"zh-CN": "适用商户：{names} 旗下门店", "en": "At the stores of {names}"},
    "ui.scope.district": {"zh-CN": "适用于{name}内的门店", "en": "At stores in {name}"},
    "ui.scope.categories": {"zh-CN": "适用于{names}类门店", "en": "At {names} stores"},
    "ui.scope.everywhere": {"zh-CN": "本行全部合作门店可用", "en": "At every partner store of the bank"},
    # The review of one order
    "ui.review.of_order": {
        "zh-CN": "{store} · {amount} · {time}",
        "en": "{store} · {amount} · {time}",
    },
    "ui.review.lead_order": {
        "zh-CN": "每单可评价一次，付款后 30 天内有效",
        "en": "One review per order, within 30 days of paying",
    },
}

register(MESSAGES)
