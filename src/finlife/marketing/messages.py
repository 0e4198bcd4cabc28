"""Words of new-customer campaigns, registered when ``finlife.marketing`` is imported (the module's
older words live in ``kit.i18n.marketing``)."""

from finlife.kit.i18n import register

MESSAGES: dict[str, dict[str, str]] = {
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

register(MESSAGES)
