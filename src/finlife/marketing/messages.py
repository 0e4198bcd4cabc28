"""The words of editing a draft campaign, of the bank's campaigns on the merchant's pages and of
new-customer campaigns, in both languages (registered when ``finlife.marketing`` is imported; the
module's older words live in ``kit.i18n.marketing``)."""

MESSAGES: dict[str, dict[str, str]] = {
    "ui.bank_campaigns": {"zh-CN": "银行为你的门店出资的活动", "en": "Bank offers at your stores"},
    "ui.bank_campaigns_lead": {
        "zh-CN": "这些优惠由银行出资：顾客在你的门店使用时，银行补足它承担的那部分优惠。",
        "en": "The bank funds these offers: when a customer uses one at your stores, "
        "the bank makes up its share of the discount.",
    },
    "ui.bank_campaigns_none": {
        "zh-CN": "目前没有覆盖你门店的银行活动",
        "en": "No bank offer covers your stores at the moment",
    },
    "ui.bank_pays": {"zh-CN": "银行承担 {percent}%", "en": "The bank pays {percent}%"},
    "ui.bank_pays_all": {"zh-CN": "银行全额承担", "en": "The bank pays it all"},
    "ui.you_pay": {"zh-CN": "你承担 {percent}%", "en": "you pay {percent}%"},
    "ui.runs_until": {"zh-CN": "{start} 至 {end}", "en": "{start} to {end}"},
    "ui.runs_from": {"zh-CN": "{start} 起", "en": "from {start}"},
    "ui.at_stores": {"zh-CN": "适用门店：{stores}", "en": "At: {stores}"},
    "ui.campaign.edit": {"zh-CN": "修改活动", "en": "Edit the campaign"},
    "ui.campaign.saved": {"zh-CN": "活动已保存", "en": "Campaign saved"},
    "ui.campaign.edit_hint": {
        "zh-CN": "草稿和被退回的活动可以修改；提交审批后不能再改。",
        "en": "A draft, or one sent back, can be changed; once submitted it cannot.",
    },
    "new_customers_only": {
        "zh-CN": "该券仅限新客领取，您已在该商户消费过",
        "en": "This coupon is for new customers only, and you have paid here before",
    },
    "new_customers_once": {
        "zh-CN": "新客券每人限领 1 张",
        "en": "A new-customer coupon is one per customer",
    },
    "ui.life.new_customers_badge": {"zh-CN": "新客专享", "en": "New customers only"},
    "ui.life.not_new": {
        "zh-CN": "仅限新客：您已在本店消费过，不能领取",
        "en": "For new customers only: you have paid here before, so it is not yours to claim",
    },
}
