"""The words of today's takings on the merchant home, in both languages."""

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

MESSAGES: dict[str, dict[str, str]] = {
    "ui.takings.title": {"zh-CN": "今日经营", "en": "Today so far"},
    "ui.takings.reports": {"zh-CN": "经营报表", "en": "Reports"},
    "ui.takings.takings": {"zh-CN": "今日收款（扣除退款）", "en": "Takings (less refunds)"},
    "ui.takings.orders": {"zh-CN": "今日订单", "en": "Orders"},
    "ui.takings.ticket": {"zh-CN": "客单价", "en": "Average ticket"},
    "ui.takings.vs": {"zh-CN": "上{weekday}同时段 {value}", "en": "Last {weekday} by this time: {value}"},
    "ui.takings.no_comparison": {"zh-CN": "无可比数据", "en": "nothing to compare"},
    "ui.takings.same": {"zh-CN": "持平", "en": "the same"},
    # ISO weekdays, 1 = Monday.
    **{
        f"ui.weekday.{n}": {"zh-CN": zh, "en": en}
        for n, (zh, en) in enumerate(zip(WEEKDAYS_ZH, WEEKDAYS_EN, strict=True), 1)
    },
}
