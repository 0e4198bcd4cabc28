"""Error codes (stable, documented) and the nouns used in their messages, in zh-CN and English."""

MESSAGES: dict[str, dict[str, str]] = {
    "validation_error": {"zh-CN": "请求参数有误", "en": "The request is not valid"},
    "malformed_body": {
        "zh-CN": "请求体无法读取：须为 UTF-8 编码、格式正确，且与声明的内容类型一致",
        "en": "The request body cannot be read: it must be UTF-8, well formed and of the declared content type",
    },
    "not_found": {"zh-CN": "找不到该{what}", "en": "No such {what}"},
    "unauthenticated": {"zh-CN": "请先登录", "en": "Please sign in"},
    "invalid_credentials": {"zh-CN": "用户名或密码错误", "en": "Wrong username or password"},
    "sign_in_throttled": {
        "zh-CN": "登录尝试过于频繁，请{seconds}秒后再试",
        "en": "Too many sign-in attempts; try again in {seconds} seconds",
    },
    "sign_in_frozen": {
        "zh-CN": "该登录名失败次数过多已被冻结：可用发送到登记手机的验证码解锁，或携带身份证件到网点柜台解锁",
        "en": "This login is frozen after too many failed sign-ins; unlock it with a code sent to your registered phone, or at a branch counter with your ID",
    },
    "forbidden": {"zh-CN": "无权执行此操作", "en": "You are not allowed to do this"},
    "invalid_channel": {"zh-CN": "未知渠道：{channel}", "en": "Unknown channel: {channel}"},
    "channel_not_allowed": {
        "zh-CN": "该操作不能在此渠道办理",
        "en": "This operation is not offered on this channel",
    },
    "invalid_phone": {"zh-CN": "手机号格式不正确", "en": "The mobile number is not valid"},
    "phone_taken": {"zh-CN": "该手机号已注册", "en": "This mobile number is already registered"},
    "username_taken": {"zh-CN": "用户名已存在", "en": "This username is taken"},
    "weak_password": {"zh-CN": "密码至少需要8位", "en": "The password needs at least 8 characters"},
    "invalid_id_number": {"zh-CN": "身份证号码校验失败", "en": "The resident ID number is not valid"},
    "name_mismatch": {"zh-CN": "姓名与客户记录不一致", "en": "The name does not match the customer record"},
    "id_number_taken": {
        "zh-CN": "该身份证号已属于另一位客户",
        "en": "This ID number belongs to another customer",
    },
    "id_number_mismatch": {
        "zh-CN": "身份证号与客户已核验的证件号不一致",
        "en": "The ID number differs from the one already verified for this customer",
    },
    "kyc_level_insufficient": {
        "zh-CN": "客户身份核验等级不足：需要{required}",
        "en": "The customer's identity verification is not enough: {required} needed",
    },
    "class_i_exists": {
        "zh-CN": "每位客户在本行只能开立一个Ⅰ类账户",
        "en": "A customer may hold only one Class I account at this bank",
    },
    "account_class_quota": {
        "zh-CN": "{account_class}类账户已达上限（{limit}个）",
        "en": "The customer already holds the maximum of {limit} Class {account_class} accounts",
    },
    "bound_account_required": {
        "zh-CN": "远程开立Ⅱ/Ⅲ类账户须绑定本人Ⅰ类账户或他行账户",
        "en": "Opening a Class II/III account remotely needs a bound Class I account of the same person",
    },
    "bound_account_invalid": {
        "zh-CN": "绑定账户必须是本人名下的Ⅰ类账户",
        "en": "The bound account must be a Class I account of the same person",
    },
    "account_not_active": {"zh-CN": "账户状态不可用", "en": "The account is not active"},
    "cash_not_allowed": {"zh-CN": "该账户不能办理现金业务", "en": "Cash is not allowed on this account"},
    "transfer_in_not_allowed": {
        "zh-CN": "该Ⅱ类账户的客户未经面对面核验，只能接收绑定账户的转入",
        "en": "This Class II account takes transfers only from its bound account until its holder is verified in person",
    },
    "unsupported_currency": {"zh-CN": "不支持的币种：{currency}", "en": "Unsupported currency: {currency}"},
    "limit_exceeded": {
        "zh-CN": "超出{limit_name} {limit}（剩余 {remaining}）",
        "en": "Over the {limit_name} of {limit} ({remaining} left)",
    },
    # The limit names of domain-rules.md (class, direction, period), as limit_exceeded names them.
    "limit.II.in.daily": {"zh-CN": "Ⅱ类账户日累计转入限额", "en": "Class II daily limit on money in"},
    "limit.II.in.yearly": {"zh-CN": "Ⅱ类账户年累计转入限额", "en": "Class II yearly limit on money in"},
    "limit.II.out.daily": {"zh-CN": "Ⅱ类账户日累计转出限额", "en": "Class II daily limit on money out"},
    "limit.II.out.yearly": {"zh-CN": "Ⅱ类账户年累计转出限额", "en": "Class II yearly limit on money out"},
    "limit.III.out.daily": {"zh-CN": "Ⅲ类账户日累计转出限额", "en": "Class III daily limit on money out"},
    "limit.III.out.yearly": {"zh-CN": "Ⅲ类账户年累计转出限额", "en": "Class III yearly limit on money out"},
    "balance_cap_exceeded": {
        "zh-CN": "账户余额将超过上限 {cap}",
        "en": "The balance would go over the cap of {cap}",
    },
    "insufficient_funds": {"zh-CN": "可用余额不足", "en": "Insufficient available funds"},
    "currency_mismatch": {"zh-CN": "币种不一致：{expected}", "en": "Currency mismatch: {expected} expected"},
    "invalid_amount": {
        "zh-CN": "金额必须为正整数（分）",
        "en": "The amount must be a positive integer in minor units",
    },
    "same_account": {"zh-CN": "转出与转入账户不能相同", "en": "Source and destination are the same account"},
    "unbalanced_entry": {"zh-CN": "分录借贷不平衡", "en": "The entry does not balance"},
    "entry_already_reversed": {"zh-CN": "该分录已冲正", "en": "This entry has already been reversed"},
    "hold_not_pending": {
        "zh-CN": "预授权状态为{status}，不能再操作",
        "en": "The hold is {status} and can no longer change",
    },
    "capture_exceeds_hold": {"zh-CN": "扣款金额超过预授权金额", "en": "The capture is larger than the hold"},
    "invalid_pin": {"zh-CN": "密码须为6位数字", "en": "The PIN must be 6 digits"},
    "unsupported_grant_type": {
        "zh-CN": "仅支持 password 授权方式",
        "en": "Only the password grant is supported",
    },
    "idempotency_key_missing": {
        "zh-CN": "资金类请求必须携带 Idempotency-Key",
        "en": "Money-moving requests need an Idempotency-Key header",
    },
    "idempotency_key_reused": {
        "zh-CN": "Idempotency-Key 已用于另一笔不同的请求",
        "en": "This Idempotency-Key was used for a different request",
    },
    "idempotency_in_progress": {
        "zh-CN": "相同 Idempotency-Key 的请求正在处理中",
        "en": "A request with this Idempotency-Key is still being processed",
    },
    "invalid_qr_payload": {
        "zh-CN": "二维码内容无效（{reason}）",
        "en": "The QR code payload is not valid ({reason})",
    },
    "sku_taken": {"zh-CN": "商品编码 {sku} 已被使用", "en": "The SKU {sku} is already in use"},
    "out_of_stock": {"zh-CN": "{name} 库存不足", "en": "Not enough {name} in stock"},
    "schema_outdated": {
        "zh-CN": "数据库结构版本过旧，请先执行 finlife db upgrade",
        "en": "The database schema is out of date; run finlife db upgrade",
    },
    "internal_error": {"zh-CN": "系统繁忙，请稍后再试", "en": "Something went wrong; please try again"},
    "invalid_credit_code": {
        "zh-CN": "统一社会信用代码校验失败",
        "en": "The unified social credit code is not valid",
    },
    "invalid_mcc": {"zh-CN": "商户类别码（MCC）须为4位数字", "en": "The MCC must be four digits"},
    "settlement_account_invalid": {
        "zh-CN": "结算账户须为申请人本人名下状态正常的人民币一类账户",
        "en": "The settlement account must be an active CNY Class I account of the applicant",
    },
    "owner_user_required": {
        "zh-CN": "代客申请时须指定申请客户的登录账号（owner_user_id）",
        "en": "Applying on a customer's behalf needs the customer's login (owner_user_id)",
    },
    "merchant_not_pending": {
        "zh-CN": "该商户申请已处理，不能重复审批",
        "en": "This merchant application has already been decided",
    },
    "merchant_not_active": {"zh-CN": "商户尚未开通或已被拒绝", "en": "The merchant is not active"},
    "invalid_coordinates": {
        "zh-CN": "经纬度无效（纬度±90、经度±180，最多6位小数）",
        "en": "The coordinates are not valid (latitude ±90, longitude ±180, at most six decimals)",
    },
    "invalid_opening_hours": {
        "zh-CN": "营业时间格式应为 10:00-22:00",
        "en": "Opening hours must look like 10:00-22:00",
    },
    "invalid_store_ids": {
        "zh-CN": "所选门店须为本商户的门店",
        "en": "The stores must be stores of this merchant",
    },
    "terminal_exists": {
        "zh-CN": "暂时无法分配终端号，请重试",
        "en": "No terminal id could be assigned; please try again",
    },
    "thing.merchant": {"zh-CN": "商户", "en": "merchant"},
    "thing.store": {"zh-CN": "门店", "en": "store"},
    "thing.terminal": {"zh-CN": "终端", "en": "terminal"},
    "thing.customer": {"zh-CN": "客户", "en": "customer"},
    "thing.account": {"zh-CN": "账户", "en": "account"},
    "thing.entry": {"zh-CN": "分录", "en": "entry"},
    "thing.hold": {"zh-CN": "预授权", "en": "hold"},
    "thing.user": {"zh-CN": "用户", "en": "user"},
    "thing.card": {"zh-CN": "银行卡", "en": "card"},
    "thing.page": {"zh-CN": "页面", "en": "page"},
    "thing.item": {"zh-CN": "商品", "en": "item"},
    "thing.variation": {"zh-CN": "商品规格", "en": "variation"},
    "thing.order": {"zh-CN": "订单", "en": "order"},
    "thing.shift": {"zh-CN": "班次", "en": "shift"},
    "thing.district": {"zh-CN": "商圈", "en": "business district"},
    "thing.review": {"zh-CN": "评价", "en": "review"},
    "unknown_variation": {
        "zh-CN": "商品规格不存在或不属于本商户",
        "en": "No such variation among this merchant's goods",
    },
    "variation_archived": {"zh-CN": "{name} 已下架，不能售卖", "en": "{name} is archived and cannot be sold"},
    "terminal_not_in_store": {"zh-CN": "该终端不属于此门店", "en": "This terminal is not bound to the store"},
    "order_mismatch": {"zh-CN": "门店或终端与订单不一致", "en": "The store or terminal is not the order's"},
    "order_not_open": {
        "zh-CN": "订单已结束（{status}），不能再操作",
        "en": "The order is no longer open ({status})",
    },
    "order_not_paid": {
        "zh-CN": "订单未付清（{status}），不能退款",
        "en": "The order is not paid ({status}) and cannot be refunded",
    },
    "order_has_payments": {
        "zh-CN": "订单已有付款，不能取消，请走退款",
        "en": "The order has payments and cannot be cancelled; refund it instead",
    },
    "overpayment": {
        "zh-CN": "付款金额超过订单未付金额（还需 {outstanding} 分）",
        "en": "The payment exceeds what is outstanding ({outstanding} fen)",
    },
    "refund_exceeds_paid": {
        "zh-CN": "退款金额超过可退金额（{refundable} 分）",
        "en": "The refund exceeds what can be refunded ({refundable} fen)",
    },
    "refund_needs_approval": {
        "zh-CN": "超过 {threshold} 的退款需要店长（商户负责人）批准，请提交退款申请",
        "en": "A refund above {threshold} needs the manager's approval: ask for it with a refund request",
    },
    "refund_exceeds_quantity": {
        "zh-CN": "退货数量超过已售未退数量（{variation_id}）",
        "en": "More pieces returned than were sold and not yet returned ({variation_id})",
    },
    "payment_already_applied": {
        "zh-CN": "该笔付款已计入其他订单或金额不同",
        "en": "This payment was already applied to another order or for another amount",
    },
    "shift_already_open": {"zh-CN": "该终端已有未结班次", "en": "A shift is already open at this terminal"},
    "shift_not_open": {"zh-CN": "班次已结束", "en": "The shift is closed"},
    "not_enough_cash": {
        "zh-CN": "钱箱现金不足（现有 {available} 分）",
        "en": "Not enough cash in the drawer ({available} fen)",
    },
    "tendered_too_little": {
        "zh-CN": "实收现金少于付款金额",
        "en": "The cash handed over is less than the amount",
    },
    "no_open_shift": {
        "zh-CN": "该终端没有未结班次，不能收付现金",
        "en": "No shift is open at this terminal, so no cash can be taken or given back",
    },
    "pin_required": {"zh-CN": "该笔交易需要输入密码", "en": "This payment needs the card's PIN"},
    "card_declined": {
        "zh-CN": "银行卡交易被拒绝（应答码 {response_code}：{reason}）",
        "en": "The card was declined (response code {response_code}: {reason})",
    },
    "payment_code_expired": {
        "zh-CN": "付款码无效或已过期，请刷新后重试",
        "en": "The payment code is not valid or has expired; ask for a new one",
    },
    "qr_limit_exceeded": {
        "zh-CN": "超出今日扫码支付限额（{kind}，剩余 {remaining}）",
        "en": "Over today's QR payment limit ({kind}, {remaining} left)",
    },
    "qr_code_used": {"zh-CN": "该二维码已被使用", "en": "This QR code has already been paid"},
    "amount_required": {"zh-CN": "请输入付款金额", "en": "Enter the amount to pay"},
    "qr_amount_mismatch": {
        "zh-CN": "付款金额与二维码金额不一致",
        "en": "The amount differs from the QR code's amount",
    },
    "nothing_outstanding": {"zh-CN": "订单没有待付金额", "en": "Nothing is outstanding on the order"},
    "settlement_day_open": {
        "zh-CN": "该营业日尚不能结算，最晚可结算至 {latest}",
        "en": "This business day cannot be settled yet; the latest that can be is {latest}",
    },
    "invalid_district_shape": {
        "zh-CN": "商圈须为圆心加半径，或至少三个顶点的多边形",
        "en": "A business district is a centre with a radius, or a polygon of at least three points",
    },
    "location_required": {
        "zh-CN": "按距离排序需要提供经纬度",
        "en": "Sorting by distance needs a latitude and longitude",
    },
    "not_your_order": {"zh-CN": "只能评价本人支付的订单", "en": "You can review only an order you paid"},
    "already_reviewed": {"zh-CN": "该订单已评价", "en": "This order has already been reviewed"},
    "review_window_closed": {
        "zh-CN": "支付超过{days}天，不能再评价",
        "en": "Reviews close {days} days after payment",
    },
    "already_replied": {"zh-CN": "商户已回复该评价", "en": "The merchant has already replied to this review"},
    "card_state_conflict": {
        "zh-CN": "该银行卡当前状态为“{status}”，不能执行此操作",
        "en": "The card is {status}: this cannot be done to it",
    },
    "coupon_not_restorable": {
        "zh-CN": "只能恢复已过期的免费优惠券，且其活动未结束（当前状态：{status}）",
        "en": "Only an expired free coupon of a campaign that has not ended can be restored (status: {status})",
    },
}
