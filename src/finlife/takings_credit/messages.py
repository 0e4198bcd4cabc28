"""Words of credit from takings: refusals, the reasons there is no offer, and the page (zh-CN, en)."""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors
    "takings_credit_no_offer": {
        "zh-CN": "今天没有可接受的经营贷额度",
        "en": "There is no credit offer to accept today",
    },
    "takings_credit_amount_out_of_range": {
        "zh-CN": "借款金额须在 {min} 至 {max} 之间",
        "en": "Borrow between {min} and {max}",
    },
    "takings_credit_already_accepted": {
        "zh-CN": "今天的额度已经接受过了",
        "en": "Today's offer has already been accepted",
    },
    # Why there is no offer: the owner reads these on the page and in the API's reason_text.
    "takings_credit.reason.no_takings": {
        "zh-CN": "近 90 天没有已结算的营业收入，暂时无法提供额度",
        "en": "No takings were settled in the last 90 days, so there is no offer yet",
    },
    "takings_credit.reason.too_few_days": {
        "zh-CN": "近 90 天只有 {days} 天有结算收入，至少需要 {needed} 天",
        "en": "Takings were settled on {days} of the last 90 days; an offer needs at least {needed}",
    },
    "takings_credit.reason.below_minimum": {
        "zh-CN": "近 90 天的结算收入对应的额度低于经营贷的最低金额",
        "en": "The last 90 days' takings support less than the loan's minimum amount",
    },
    "takings_credit.reason.loan_outstanding": {
        "zh-CN": "您的收入贷正在还款中，还清后可获得新的额度",
        "en": "Your loan from takings is being repaid; a new offer comes once it is repaid",
    },
    "takings_credit.reason.no_product": {
        "zh-CN": "本行暂未提供商户经营贷",
        "en": "The bank offers no merchant operating loan at the moment",
    },
    # Page
    "takings_credit.title": {"zh-CN": "收入贷", "en": "Credit from takings"},
    "takings_credit.offer": {"zh-CN": "今天的额度", "en": "Today's offer"},
    "takings_credit.none": {"zh-CN": "暂无额度", "en": "No offer"},
    "takings_credit.window": {"zh-CN": "统计期间", "en": "Takings counted"},
    "takings_credit.takings": {"zh-CN": "已结算收入", "en": "Settled takings"},
    "takings_credit.days": {"zh-CN": "有收入的天数", "en": "Days with takings"},
    "takings_credit.limit": {"zh-CN": "可借额度", "en": "Limit"},
    "takings_credit.rate": {"zh-CN": "年利率（固定）", "en": "Annual rate (fixed)"},
    "takings_credit.term": {"zh-CN": "期限", "en": "Term"},
    "takings_credit.months": {"zh-CN": "{n} 个月，等额本息", "en": "{n} months, equal instalments"},
    "takings_credit.instalment": {"zh-CN": "月供（借满额度）", "en": "Monthly instalment (whole limit)"},
    "takings_credit.amount": {"zh-CN": "借款金额（元）", "en": "Amount to borrow (CNY)"},
    "takings_credit.accept": {
        "zh-CN": "接受并放款到结算账户",
        "en": "Accept: pay it into my settlement account",
    },
    "takings_credit.accepted": {
        "zh-CN": "贷款已发放到您的结算账户",
        "en": "The loan has been paid into your settlement account",
    },
    "takings_credit.rule": {"zh-CN": "额度怎么算", "en": "How the offer is worked out"},
    "takings_credit.rule_limit": {
        "zh-CN": "额度：近 90 天（不含今天）已结算收入的 30%，向下取整到百元，不超过产品上限",
        "en": "Limit: 30% of the takings settled in the last 90 days (today excluded), rounded down to"
        " whole hundreds of yuan, at most the product's maximum",
    },
    "takings_credit.rule_days": {
        "zh-CN": "条件：近 90 天至少 {needed} 天有结算收入，且没有未还清的收入贷",
        "en": "Condition: takings settled on at least {needed} of those days, and no loan from takings"
        " still being repaid",
    },
    "takings_credit.rule_rate": {
        "zh-CN": "利率：一年期 LPR 加产品加点，签约时固定；期限 12 个月，等额本息按月还款",
        "en": "Rate: the one-year LPR plus the product's spread, fixed at signing; term 12 months,"
        " equal monthly instalments",
    },
}
