"""The webhooks' words, in both languages (registered by the package)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Problems
    "webhook_url_invalid": {
        "zh-CN": "Webhook 地址无效：须为完整的 https 地址，不含用户名密码或片段",
        "en": "The webhook URL is not valid: give a full https URL without credentials or a fragment",
    },
    "webhook_url_insecure": {"zh-CN": "Webhook 地址必须使用 https", "en": "The webhook URL must use https"},
    "webhook_url_unresolvable": {
        "zh-CN": "Webhook 地址的主机名无法解析",
        "en": "The webhook URL's host name does not resolve",
    },
    "webhook_url_private": {
        "zh-CN": "Webhook 地址指向内网、回环或链路本地地址，不允许使用",
        "en": "The webhook URL points at a private, loopback or link-local address, which is not allowed",
    },
    "webhook_event_unknown": {
        "zh-CN": "无法订阅的事件类型：{event}",
        "en": "Not an event type you can subscribe to: {event}",
    },
    "webhook_endpoint_disabled": {
        "zh-CN": "该 Webhook 端点已停用",
        "en": "This webhook endpoint is disabled",
    },
    "thing.webhook_endpoint": {"zh-CN": "Webhook 端点", "en": "webhook endpoint"},
    "thing.webhook_delivery": {"zh-CN": "Webhook 投递记录", "en": "webhook delivery"},
    # The partner console's pages
    "ui.webhooks.title": {"zh-CN": "Webhook 端点", "en": "Webhook endpoints"},
    "ui.webhooks.none": {"zh-CN": "还没有 Webhook 端点", "en": "No webhook endpoints yet"},
    "ui.webhooks.none_hint": {
        "zh-CN": "添加一个 https 地址，选择要接收的事件。",
        "en": "Add an https URL and choose the events it receives.",
    },
    "ui.webhooks.new": {"zh-CN": "添加端点", "en": "Add an endpoint"},
    "ui.webhooks.url": {"zh-CN": "接收地址", "en": "URL"},
    "ui.webhooks.events": {"zh-CN": "事件", "en": "Events"},
    "ui.webhooks.status": {"zh-CN": "状态", "en": "Status"},
    "ui.webhooks.created_at": {"zh-CN": "创建时间", "en": "Created"},
    "ui.webhooks.create": {"zh-CN": "添加", "en": "Add"},
    "ui.webhooks.secret_once": {
        "zh-CN": "签名密钥只显示这一次，请立即妥善保存：",
        "en": "The signing secret is shown this once; keep it safe now:",
    },
    "ui.webhooks.grace_until": {
        "zh-CN": "旧密钥的签名将保留至 {until}",
        "en": "The old secret keeps signing until {until}",
    },
    "ui.webhooks.deliveries": {"zh-CN": "投递记录", "en": "Deliveries"},
    "ui.webhooks.no_deliveries": {"zh-CN": "还没有投递", "en": "No deliveries yet"},
    "ui.webhooks.event": {"zh-CN": "事件", "en": "Event"},
    "ui.webhooks.attempts": {"zh-CN": "尝试次数", "en": "Attempts"},
    "ui.webhooks.last_status": {"zh-CN": "最近结果", "en": "Last result"},
    "ui.webhooks.next_attempt": {"zh-CN": "下次尝试", "en": "Next attempt"},
    "ui.webhooks.delivered_at": {"zh-CN": "送达时间", "en": "Delivered"},
    "ui.webhooks.ping": {"zh-CN": "发送测试事件", "en": "Send a test event"},
    "ui.webhooks.replay": {"zh-CN": "重新发送", "en": "Send again"},
    "ui.webhooks.rotate": {"zh-CN": "更换密钥", "en": "Rotate the secret"},
    "ui.webhooks.disable": {"zh-CN": "停用", "en": "Disable"},
    "ui.webhooks.more": {"zh-CN": "更早的记录", "en": "Older deliveries"},
    "ui.webhooks.pinged": {"zh-CN": "测试事件已排队发送", "en": "The test event is on its way"},
    "ui.webhooks.replayed": {"zh-CN": "已排队重新发送", "en": "Queued to be sent again"},
    "ui.webhooks.disabled": {"zh-CN": "端点已停用", "en": "The endpoint is disabled"},
    "ui.webhooks.state.active": {"zh-CN": "启用", "en": "Active"},
    "ui.webhooks.state.disabled": {"zh-CN": "已停用", "en": "Disabled"},
    "ui.webhooks.state.pending": {"zh-CN": "待发送", "en": "Pending"},
    "ui.webhooks.state.delivered": {"zh-CN": "已送达", "en": "Delivered"},
    "ui.webhooks.state.failed": {"zh-CN": "失败", "en": "Failed"},
    "ui.webhooks.state.cancelled": {"zh-CN": "已取消", "en": "Cancelled"},
    "ui.webhooks.reason.partner": {"zh-CN": "由您停用", "en": "disabled by you"},
    "ui.webhooks.reason.gone": {"zh-CN": "接收方答复 410", "en": "the receiver answered 410"},
    "ui.webhooks.reason.failing": {"zh-CN": "持续失败", "en": "failing for days"},
}
