"""Words of the money-market fund and the sweep: refusals and pages (zh-CN and English)."""

MESSAGES: dict[str, dict[str, str]] = {
    # The fund's entries as a statement names them
    "ui.kind.wealth.subscription": {"zh-CN": "买入理财", "en": "Fund purchase"},
    "ui.kind.wealth.redemption": {"zh-CN": "赎回理财", "en": "Fund redemption"},
    "ui.kind.wealth.redemption_arrival": {"zh-CN": "理财赎回到账", "en": "Fund redemption paid out"},
    "ui.kind.wealth.income": {"zh-CN": "理财收益", "en": "Fund income"},
    # Errors
    "thing.fund": {"zh-CN": "基金", "en": "fund"},
    "thing.sweep": {"zh-CN": "自动理财设置", "en": "sweep"},
    "fund_code_taken": {"zh-CN": "基金代码 {code} 已被使用", "en": "The fund code {code} is taken"},
    "fund_yield_already_published": {
        "zh-CN": "{date} 的收益已公布，不能再次公布",
        "en": "The yield of {date} is already published",
    },
    "fund_not_business_day": {
        "zh-CN": "{date} 不是工作日，基金收益只在工作日公布",
        "en": "{date} is not a business day: a fund's yield is published on business days only",
    },
    "fast_redemption_limit_exceeded": {
        "zh-CN": "快速赎回（T+0）每人每只基金每天最多 {limit}，今天还可快速赎回 {remaining}；"
        "超出部分请选择普通赎回（下一工作日到账）",
        "en": "Fast (T+0) redemption is at most {limit} per investor, fund and day; {remaining} is left"
        " today. Redeem the rest normally (it arrives the next business day)",
    },
    "fund_units_insufficient": {
        "zh-CN": "持有份额不足，当前持有 {held}",
        "en": "Not enough units held: {held}",
    },
    "fund_currency_mismatch": {
        "zh-CN": "该账户的币种与基金不同，基金以 {currency} 计价",
        "en": "The account's currency is not the fund's ({currency})",
    },
    "fund_yield_file_invalid": {
        "zh-CN": "收益文件格式不正确（应为 date,per_10k,seven_day）：{line}",
        "en": "The yield file is not date,per_10k,seven_day: {line}",
    },
    # Pages
    "wealth.title": {"zh-CN": "理财", "en": "Wealth"},
    "wealth.holdings": {"zh-CN": "我的持有", "en": "My holdings"},
    "wealth.no_holdings": {"zh-CN": "还没有持有基金", "en": "No fund held yet"},
    "wealth.fund": {"zh-CN": "基金", "en": "Fund"},
    "wealth.account": {"zh-CN": "账户", "en": "Account"},
    "wealth.value": {"zh-CN": "持有金额", "en": "Value"},
    "wealth.yesterday_income": {"zh-CN": "最近一日收益", "en": "Latest daily income"},
    "wealth.total_income": {"zh-CN": "累计收益", "en": "Income so far"},
    "wealth.per_10k": {"zh-CN": "万份收益（元）", "en": "Income per 10,000 units (CNY)"},
    "wealth.seven_day": {"zh-CN": "七日年化（%）", "en": "7-day annualised yield (%)"},
    "wealth.yield_chart": {"zh-CN": "七日年化走势", "en": "7-day yield"},
    "wealth.yield_chart_summary": {
        "zh-CN": "{fund} 最近 {days} 个工作日的七日年化收益率，从 {first}% 到 {last}%",
        "en": "{fund}: 7-day annualised yield over the last {days} business days, from {first}% to {last}%",
    },
    "wealth.daily_income": {"zh-CN": "每日收益", "en": "Daily income"},
    "wealth.date": {"zh-CN": "日期", "en": "Date"},
    "wealth.amount": {"zh-CN": "金额（元）", "en": "Amount (CNY)"},
    "wealth.subscribe": {"zh-CN": "买入", "en": "Subscribe"},
    "wealth.redeem": {"zh-CN": "赎回", "en": "Redeem"},
    "wealth.speed": {"zh-CN": "到账方式", "en": "Speed"},
    "wealth.speed.fast": {
        "zh-CN": "快速赎回（实时到账，每日限 1 万元）",
        "en": "Fast (now; 10,000 CNY a day)",
    },
    "wealth.speed.normal": {"zh-CN": "普通赎回（下一工作日到账）", "en": "Normal (next business day)"},
    "wealth.done": {"zh-CN": "已完成", "en": "Done"},
    "wealth.arrives_on": {"zh-CN": "已受理，{date} 到账", "en": "Accepted; arrives on {date}"},
    "wealth.sweep": {"zh-CN": "余额自动理财", "en": "Sweep idle balance"},
    "wealth.sweep_help": {
        "zh-CN": "每个工作日把账户中超过保留金额的部分买入基金；支付、退款或转账余额不足时自动快速赎回补足",
        "en": "Every business day the balance above the amount kept goes into the fund; a payment, refund"
        " or transfer that needs more redeems what is missing at once",
    },
    "wealth.keep": {"zh-CN": "保留金额（元）", "en": "Amount to keep (CNY)"},
    "wealth.sweep_on": {"zh-CN": "开启", "en": "Switch on"},
    "wealth.sweep_off": {"zh-CN": "关闭", "en": "Switch off"},
    "wealth.sweep_is_on": {
        "zh-CN": "已开启：保留 {keep}，其余买入 {fund}",
        "en": "On: keeps {keep}, the rest goes into {fund}",
    },
    "wealth.sweep_is_off": {"zh-CN": "未开启", "en": "Off"},
    "wealth.save": {"zh-CN": "确定", "en": "Confirm"},
    "wealth.no_funds": {"zh-CN": "暂无在售基金", "en": "No fund on sale"},
}
