"""Words of campaigns, coupons and their rules: API errors and the marketing pages."""

MESSAGES: dict[str, dict[str, str]] = {
    "draft_submitter_not_allowed": {
        "zh-CN": "只有商户店主或草稿的起草人可以提交该活动",
        "en": "Only the merchant's owner or the draft's author may submit this campaign",
    },
    "funding_not_whole": {
        "zh-CN": "商户、分行、总行的出资比例之和须为 100%",
        "en": "The merchant, branch and head-office shares must add up to 100 %",
    },
    "budget_required": {
        "zh-CN": "出资方须设定预算：{funder}",
        "en": "A funder with a share needs a budget: {funder}",
    },
    "budget_without_share": {
        "zh-CN": "未出资的一方不能设定预算：{funder}",
        "en": "A funder without a share cannot have a budget: {funder}",
    },
    "invalid_coupon_value": {
        "zh-CN": "优惠金额或比例不符合券种规则",
        "en": "The value does not fit this kind of coupon",
    },
    "percent_needs_cap": {"zh-CN": "折扣券须设定最高优惠金额", "en": "A percent-off coupon needs a cap"},
    "threshold_needs_min_spend": {
        "zh-CN": "满减券须设定门槛金额，且优惠金额低于门槛",
        "en": "A threshold coupon needs a minimum spend above its value",
    },
    "free_item_needs_variation": {
        "zh-CN": "赠品券须指定本商户在售的商品规格",
        "en": "A free-item coupon needs one of the merchant's variations",
    },
    "price_not_below_value": {
        "zh-CN": "券的售价须低于其最低优惠金额",
        "en": "A coupon's price must be below the least it takes off",
    },
    "invalid_validity": {
        "zh-CN": "有效期须为固定起止日期或领取后 N 天，且结束晚于开始",
        "en": "Validity is fixed dates or N days after claim, and it must end after it starts",
    },
    "invalid_scope": {
        "zh-CN": "适用范围只能是商户、门店或商圈之一，且须真实存在",
        "en": "The scope is merchants, stores or one district, and they must exist",
    },
    "scope_outside_merchant": {
        "zh-CN": "商户活动只能适用于本商户的门店",
        "en": "A merchant's campaign covers only its own stores",
    },
    "merchant_funding_needs_owner": {
        "zh-CN": "只有商户本人可承诺商户出资",
        "en": "Only the merchant's owner can commit the merchant's money",
    },
    "bank_funding_needs_staff": {
        "zh-CN": "该出资方须由银行营销人员设立：{field}",
        "en": "Only the bank's marketing staff commit this funder's money",
    },
    "campaign_wrong_status": {
        "zh-CN": "活动状态为「{status}」，此操作需要「{wanted}」",
        "en": "The campaign is {status}; this needs {wanted}",
    },
    "cannot_approve_own_campaign": {
        "zh-CN": "不能审批自己创建的活动",
        "en": "You cannot approve a campaign you created",
    },
    "campaign_not_live": {"zh-CN": "活动未在进行中", "en": "The campaign is not live"},
    "not_in_audience": {
        "zh-CN": "该活动仅面向特定客户群，您不在其中",
        "en": "This campaign is for a group of customers you are not in",
    },
    "audience_segment_unknown": {"zh-CN": "目标客户群不存在", "en": "The audience segment does not exist"},
    "audience_not_allowed": {
        "zh-CN": "只有银行营销人员可以按客户群投放活动",
        "en": "Only the bank's marketing staff target a campaign at a segment",
    },
    "coupons_out_of_stock": {"zh-CN": "券已领完", "en": "The coupons are all gone"},
    "claim_limit_reached": {
        "zh-CN": "每人限领 {limit} 张，您已领满",
        "en": "You already hold the limit of {limit} per customer",
    },
    "account_required_to_buy": {
        "zh-CN": "购买此券须选择付款账户",
        "en": "Choose the account that pays for this coupon",
    },
    "coupon_unknown": {"zh-CN": "券码 {coupon} 不存在", "en": "No coupon has the code {coupon}"},
    "coupon_used": {
        "zh-CN": "券 {coupon} 已使用或已被其他订单占用",
        "en": "Coupon {coupon} is used or held by another order",
    },
    "coupon_expired": {"zh-CN": "券 {coupon} 不在有效期内", "en": "Coupon {coupon} is not valid now"},
    "coupon_outside_hours": {
        "zh-CN": "券 {coupon} 只能在规定的星期和时段使用",
        "en": "Coupon {coupon} is valid only on its days and hours",
    },
    "coupon_not_for_store": {
        "zh-CN": "券 {coupon} 不适用于本门店",
        "en": "Coupon {coupon} does not apply at this store",
    },
    "coupon_not_for_goods": {
        "zh-CN": "券 {coupon} 不适用于所购商品",
        "en": "Coupon {coupon} does not apply to these goods",
    },
    "coupon_min_spend": {
        "zh-CN": "券 {coupon} 须满 {min_spend} 分可用",
        "en": "Coupon {coupon} needs a spend of {min_spend} fen",
    },
    "coupons_not_stackable": {"zh-CN": "每单只能使用一张券", "en": "Only one coupon per order"},
    "coupon_campaign_paused": {
        "zh-CN": "券 {coupon} 所属活动已暂停或结束",
        "en": "The campaign of coupon {coupon} is paused or ended",
    },
    "coupon_budget_exhausted": {
        "zh-CN": "券 {coupon} 所属活动预算已用完",
        "en": "The budget behind coupon {coupon} is spent",
    },
}
