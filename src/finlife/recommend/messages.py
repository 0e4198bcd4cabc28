"""The recommendations' words: why a store or a coupon is suggested, and the /app section (zh-CN, en)."""

MESSAGES: dict[str, dict[str, str]] = {
    "recommend.reason.favourite": {
        "zh-CN": "你的常去之选（来过 {visits} 次）",
        "en": "One of your favourites: you have been {visits} times",
    },
    "recommend.reason.taste": {
        "zh-CN": "因为你常在{district}{activity}",
        "en": "Because you often {activity} in {district}",
    },
    "recommend.reason.similar": {"zh-CN": "因为你喜欢{store}", "en": "Because you like {store}"},
    "recommend.reason.nearby": {
        "zh-CN": "在你常去的{district}一带很受欢迎",
        "en": "Popular near you, around {district}",
    },
    "recommend.reason.popular": {"zh-CN": "大家都爱去", "en": "Popular with everyone"},
    "recommend.reason.coupon": {"zh-CN": "可在{store}使用 · {reason}", "en": "For {store} · {reason}"},
    "recommend.activity.restaurant": {"zh-CN": "用餐", "en": "eat out"},
    "recommend.activity.cafe": {"zh-CN": "喝咖啡", "en": "have coffee"},
    "recommend.activity.fast_food": {"zh-CN": "吃快餐", "en": "grab fast food"},
    "recommend.activity.convenience": {"zh-CN": "逛便利店", "en": "pop into convenience stores"},
    "recommend.activity.grocery": {"zh-CN": "买菜", "en": "buy groceries"},
    "recommend.activity.bakery": {"zh-CN": "买面包", "en": "buy bread"},
    "recommend.activity.tea": {"zh-CN": "喝茶饮", "en": "get tea"},
    "recommend.activity.hotpot": {"zh-CN": "吃火锅", "en": "eat hotpot"},
    "recommend.activity.other": {"zh-CN": "消费", "en": "shop"},
    "ui.recommend.title": {"zh-CN": "为你推荐", "en": "For you"},
    "ui.recommend.stores": {"zh-CN": "值得一去的店", "en": "Stores to try"},
    "ui.recommend.coupons": {"zh-CN": "可领的优惠券", "en": "Coupons to claim"},
    "ui.recommend.favourite": {"zh-CN": "常去", "en": "Favourite"},
    "ui.recommend.none": {"zh-CN": "暂时还没有推荐", "en": "Nothing to suggest yet"},
    "ui.recommend.not_personalised": {
        "zh-CN": "你已关闭个性化推荐：以下按大家的喜好排列，未使用你的数据。",
        "en": "Personalised marketing is off: these are what everyone likes, not based on your data.",
    },
}
