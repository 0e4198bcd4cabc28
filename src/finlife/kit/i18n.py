"""One message catalogue for the API's errors and the pages, in zh-CN and English.

Messages are ``str.format`` templates keyed by a stable code; the same code renders the same words
in a problem+json answer, on a page and in a log line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.numbers import format_currency

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

CATALOGUE: dict[str, dict[str, str]] = {
    # Errors (stable codes; see kit/errors.py and each module's errors)
    "validation_error": {"zh-CN": "请求参数有误", "en": "The request is not valid"},
    "not_found": {"zh-CN": "找不到该{what}", "en": "No such {what}"},
    "unauthenticated": {"zh-CN": "请先登录", "en": "Please sign in"},
    "invalid_credentials": {"zh-CN": "用户名或密码错误", "en": "Wrong username or password"},
    "account_locked": {
        "zh-CN": "登录失败次数过多，请{minutes}分钟后再试",
        "en": "Too many failed sign-ins; try again in {minutes} minutes",
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
    "weak_password": {
        "zh-CN": "密码至少需要8位",
        "en": "The password needs at least 8 characters",
    },
    "invalid_id_number": {
        "zh-CN": "身份证号码校验失败",
        "en": "The resident ID number is not valid",
    },
    "name_mismatch": {
        "zh-CN": "姓名与客户记录不一致",
        "en": "The name does not match the customer record",
    },
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
    "cash_not_allowed": {
        "zh-CN": "该账户不能办理现金业务",
        "en": "Cash is not allowed on this account",
    },
    "transfer_in_not_allowed": {
        "zh-CN": "该Ⅱ类账户的客户未经面对面核验，只能接收绑定账户的转入",
        "en": (
            "This Class II account takes transfers only from its bound account "
            "until its holder is verified in person"
        ),
    },
    "unsupported_currency": {"zh-CN": "不支持的币种：{currency}", "en": "Unsupported currency: {currency}"},
    "limit_exceeded": {
        "zh-CN": "超出限额：{limit}（剩余 {remaining}）",
        "en": "Over the limit: {limit} ({remaining} left)",
    },
    "balance_cap_exceeded": {
        "zh-CN": "账户余额将超过上限 {cap}",
        "en": "The balance would go over the cap of {cap}",
    },
    "insufficient_funds": {"zh-CN": "可用余额不足", "en": "Insufficient available funds"},
    "currency_mismatch": {
        "zh-CN": "币种不一致：{expected}",
        "en": "Currency mismatch: {expected} expected",
    },
    "invalid_amount": {
        "zh-CN": "金额必须为正整数（分）",
        "en": "The amount must be a positive integer in minor units",
    },
    "same_account": {
        "zh-CN": "转出与转入账户不能相同",
        "en": "Source and destination are the same account",
    },
    "unbalanced_entry": {"zh-CN": "分录借贷不平衡", "en": "The entry does not balance"},
    "entry_already_reversed": {
        "zh-CN": "该分录已冲正",
        "en": "This entry has already been reversed",
    },
    "hold_not_pending": {
        "zh-CN": "预授权状态为{status}，不能再操作",
        "en": "The hold is {status} and can no longer change",
    },
    "capture_exceeds_hold": {
        "zh-CN": "扣款金额超过预授权金额",
        "en": "The capture is larger than the hold",
    },
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
    # Catalog (goods)
    "sku_taken": {"zh-CN": "商品编码 {sku} 已被使用", "en": "The SKU {sku} is already in use"},
    "out_of_stock": {"zh-CN": "{name} 库存不足", "en": "Not enough {name} in stock"},
    "schema_outdated": {
        "zh-CN": "数据库结构版本过旧，请先执行 finlife db upgrade",
        "en": "The database schema is out of date; run finlife db upgrade",
    },
    "internal_error": {
        "zh-CN": "系统繁忙，请稍后再试",
        "en": "Something went wrong; please try again",
    },
    # Web pages (ui.*): the shells, sign-in, components
    "ui.bank_name": {"zh-CN": "finlife 银行", "en": "finlife Bank"},
    "ui.shell.app": {"zh-CN": "手机银行", "en": "Mobile Banking"},
    "ui.shell.merchant": {"zh-CN": "商户中心", "en": "Merchant Console"},
    "ui.shell.bank": {"zh-CN": "银行工作台", "en": "Bank Console"},
    "ui.tagline.app": {"zh-CN": "金融 + 生活，一个 App 全搞定", "en": "Finance + Life, all in one app"},
    "ui.tagline.merchant": {
        "zh-CN": "好生意：收银、营销、资金，一站经营",
        "en": "Good Business: checkout, marketing and funds in one place",
    },
    "ui.tagline.bank": {
        "zh-CN": "一个客户视图，一本账，服务每一个渠道",
        "en": "One customer view, one ledger, every channel",
    },
    "ui.point.secure": {"zh-CN": "银行级安全与全程审计", "en": "Bank-grade security, fully audited"},
    "ui.point.one_record": {"zh-CN": "全渠道共享同一客户记录", "en": "One customer record across channels"},
    "ui.point.life": {"zh-CN": "连接商户与生活场景", "en": "Connected to merchants and daily life"},
    "ui.footer": {"zh-CN": "© finlife 银行 · 存款保险保护", "en": "© finlife Bank · Deposits insured"},
    "ui.skip_to_content": {"zh-CN": "跳到主要内容", "en": "Skip to main content"},
    "ui.language": {"zh-CN": "语言", "en": "Language"},
    "ui.main_navigation": {"zh-CN": "主导航", "en": "Main navigation"},
    "ui.coming_soon": {"zh-CN": "即将上线", "en": "Soon"},
    "ui.show_password": {"zh-CN": "显示密码", "en": "Show password"},
    "ui.masked": {"zh-CN": "已脱敏显示", "en": "Shown masked"},
    "ui.close": {"zh-CN": "关闭", "en": "Close"},
    "ui.back_home": {"zh-CN": "返回首页", "en": "Back to home"},
    "ui.switch_user": {"zh-CN": "切换账号", "en": "Sign in as someone else"},
    "ui.sign_in": {"zh-CN": "登录", "en": "Sign in"},
    "ui.sign_in_to": {"zh-CN": "登录{app}", "en": "Sign in to {app}"},
    "ui.sign_in_lead.app": {
        "zh-CN": "欢迎回来，请登录您的账户",
        "en": "Welcome back. Sign in to your account",
    },
    "ui.sign_in_lead.merchant": {"zh-CN": "商户店主与收银员登录", "en": "For merchant owners and cashiers"},
    "ui.sign_in_lead.bank": {"zh-CN": "仅限本行员工使用", "en": "For bank staff only"},
    "ui.sign_out": {"zh-CN": "退出登录", "en": "Sign out"},
    "ui.signed_out": {"zh-CN": "您已安全退出", "en": "You have signed out"},
    "ui.username": {"zh-CN": "用户名", "en": "Username"},
    "ui.username_phone": {"zh-CN": "手机号", "en": "Mobile number"},
    "ui.password": {"zh-CN": "密码", "en": "Password"},
    "ui.no_account": {"zh-CN": "还没有账户？", "en": "New to finlife?"},
    "ui.sign_up_now": {"zh-CN": "立即注册", "en": "Create an account"},
    "ui.csrf_failed": {
        "zh-CN": "页面已过期，请刷新后重新提交",
        "en": "This page has expired; reload it and submit again",
    },
    "ui.error": {"zh-CN": "请求无法完成", "en": "The request could not be completed"},
    "ui.error.title": {"zh-CN": "出了点问题", "en": "Something went wrong"},
    "ui.error.title.403": {"zh-CN": "无权访问", "en": "No access"},
    "ui.error.title.404": {"zh-CN": "页面不存在", "en": "Page not found"},
    "ui.role.customer": {"zh-CN": "客户", "en": "Customer"},
    "ui.role.merchant_owner": {"zh-CN": "店主", "en": "Merchant owner"},
    "ui.role.cashier": {"zh-CN": "收银员", "en": "Cashier"},
    "ui.role.teller": {"zh-CN": "柜员", "en": "Teller"},
    "ui.role.branch_marketing": {"zh-CN": "支行营销", "en": "Branch marketing"},
    "ui.role.hq_marketing": {"zh-CN": "总行营销", "en": "HQ marketing"},
    "ui.role.bank_admin": {"zh-CN": "系统管理员", "en": "Bank admin"},
    "ui.role.partner": {"zh-CN": "合作方", "en": "Partner"},
    "ui.nav.home": {"zh-CN": "首页", "en": "Home"},
    "ui.nav.dashboard": {"zh-CN": "概览", "en": "Overview"},
    "ui.nav.accounts": {"zh-CN": "账户", "en": "Accounts"},
    "ui.nav.life": {"zh-CN": "生活", "en": "Life"},
    "ui.nav.me": {"zh-CN": "我的", "en": "Me"},
    "ui.nav.pos": {"zh-CN": "收银台", "en": "Checkout"},
    "ui.nav.goods": {"zh-CN": "商品", "en": "Goods"},
    "ui.nav.coupons": {"zh-CN": "优惠券", "en": "Coupons"},
    "ui.nav.finance": {"zh-CN": "资金", "en": "Finance"},
    "ui.nav.customers": {"zh-CN": "客户", "en": "Customers"},
    "ui.nav.merchants": {"zh-CN": "商户", "en": "Merchants"},
    "ui.nav.audit": {"zh-CN": "审计", "en": "Audit"},
    "ui.status.active": {"zh-CN": "正常", "en": "Active"},
    "ui.status.pending": {"zh-CN": "处理中", "en": "Pending"},
    "ui.status.frozen": {"zh-CN": "已冻结", "en": "Frozen"},
    "ui.status.closed": {"zh-CN": "已销户", "en": "Closed"},
    "ui.status.registered": {"zh-CN": "已注册", "en": "Registered"},
    "ui.status.verified_remote": {"zh-CN": "远程核验", "en": "Verified remotely"},
    "ui.status.verified_in_person": {"zh-CN": "面签核验", "en": "Verified in person"},
    "ui.sign_up": {"zh-CN": "注册", "en": "Sign up"},
    "ui.sign_up_title": {"zh-CN": "注册手机银行", "en": "Create your account"},
    "ui.sign_up_lead": {
        "zh-CN": "只需手机号即可开始，实名认证后可开立账户",
        "en": "Start with your mobile number; verify your identity later to open accounts",
    },
    "ui.sign_up_submit": {"zh-CN": "同意协议并注册", "en": "Agree and sign up"},
    "ui.sign_up_terms": {
        "zh-CN": "注册即表示您同意《用户服务协议》和《隐私政策》",
        "en": "By signing up you accept the terms of service and the privacy policy",
    },
    "ui.signed_up": {"zh-CN": "注册成功，请登录", "en": "You are registered; please sign in"},
    "ui.have_account": {"zh-CN": "已有账户？", "en": "Already registered?"},
    "ui.full_name": {"zh-CN": "姓名", "en": "Full name"},
    "ui.name_required": {"zh-CN": "请填写姓名", "en": "Please enter your name"},
    "ui.password_hint": {
        "zh-CN": "至少8位，建议字母与数字组合",
        "en": "At least 8 characters; mix letters and digits",
    },
    "ui.hello": {"zh-CN": "您好，{name}", "en": "Hello, {name}"},
    "ui.kyc_level": {"zh-CN": "认证等级", "en": "Verification"},
    "ui.action.scan": {"zh-CN": "扫一扫", "en": "Scan"},
    "ui.action.transfer": {"zh-CN": "转账", "en": "Transfer"},
    "ui.action.open_account": {"zh-CN": "开户", "en": "Open account"},
    "ui.action.coupons": {"zh-CN": "优惠券", "en": "Coupons"},
    "ui.my_accounts": {"zh-CN": "我的账户", "en": "My accounts"},
    "ui.no_accounts": {"zh-CN": "还没有账户", "en": "No accounts yet"},
    "ui.no_accounts_body": {
        "zh-CN": "开立电子账户后，余额和交易明细会显示在这里",
        "en": "Once you open an account, its balance and statement appear here",
    },
    "ui.verify_hint": {
        "zh-CN": "完成实名认证后即可开立账户、转账和支付",
        "en": "Verify your identity to open accounts, transfer and pay",
    },
    "ui.profile": {"zh-CN": "个人信息", "en": "Profile"},
    "ui.id_number": {"zh-CN": "身份证号", "en": "Resident ID"},
    "ui.customer_id": {"zh-CN": "客户号", "en": "Customer ID"},
    "ui.bank_welcome": {
        "zh-CN": "今天也为客户提供一致、专业的服务",
        "en": "One customer record, one standard of service, on every channel",
    },
    "ui.find_customer": {"zh-CN": "查找客户", "en": "Find a customer"},
    "ui.find_customer_hint": {"zh-CN": "姓名、手机号或客户号", "en": "Name, mobile number or customer ID"},
    "ui.search": {"zh-CN": "搜索", "en": "Search"},
    "ui.results": {"zh-CN": "查询结果", "en": "Results"},
    "ui.recent_customers": {"zh-CN": "最近客户", "en": "Recent customers"},
    "ui.see_all": {"zh-CN": "查看全部", "en": "See all"},
    "ui.customer": {"zh-CN": "客户", "en": "Customer"},
    "ui.status": {"zh-CN": "状态", "en": "Status"},
    "ui.created": {"zh-CN": "建档日期", "en": "Since"},
    "ui.next_page": {"zh-CN": "下一页", "en": "Next page"},
    "ui.no_customers": {"zh-CN": "暂无客户", "en": "No customers yet"},
    "ui.no_customers_body": {
        "zh-CN": "客户注册或在网点建档后会出现在这里",
        "en": "Customers appear here once they sign up or are registered at a branch",
    },
    "ui.no_results": {"zh-CN": "没有找到“{query}”", "en": "Nothing found for “{query}”"},
    "ui.no_results_body": {
        "zh-CN": "请检查姓名、手机号或客户号是否正确",
        "en": "Check the name, mobile number or customer ID",
    },
    "ui.merchant_welcome": {
        "zh-CN": "收银、商品、优惠券和资金，都在这里管理",
        "en": "Checkout, goods, coupons and funds, all managed here",
    },
    "ui.no_store": {"zh-CN": "门店尚未开通", "en": "Your store is not set up yet"},
    "ui.no_store_body": {
        "zh-CN": "客户经理为您完成商户入驻后，门店、收银台和对账将显示在这里",
        "en": "Once onboarding is complete, your stores, checkout and statements appear here",
    },
    # Account pages (customer app and bank console)
    "ui.class.I": {"zh-CN": "Ⅰ类账户", "en": "Class I"},
    "ui.class.II": {"zh-CN": "Ⅱ类账户", "en": "Class II"},
    "ui.class.III": {"zh-CN": "Ⅲ类账户", "en": "Class III"},
    "ui.balance.ledger": {"zh-CN": "账户余额", "en": "Balance"},
    "ui.balance.available": {"zh-CN": "可用余额", "en": "Available"},
    "ui.balance.held": {"zh-CN": "冻结金额", "en": "On hold"},
    "ui.total_available": {"zh-CN": "总可用余额 {amount}", "en": "{amount} available in total"},
    "ui.account_number": {"zh-CN": "账号", "en": "Account number"},
    "ui.account_id": {"zh-CN": "账户编号", "en": "Account ID"},
    "ui.opened_on": {"zh-CN": "开户日期", "en": "Opened"},
    "ui.bound_account": {"zh-CN": "绑定账户", "en": "Bound account"},
    "ui.bound_other_bank": {"zh-CN": "他行 {bank} {number}", "en": "{bank} {number} (another bank)"},
    "ui.limits": {"zh-CN": "交易限额", "en": "Limits"},
    "ui.limit.in": {"zh-CN": "转入及存现", "en": "Money in"},
    "ui.limit.out": {"zh-CN": "转出、支付及取现", "en": "Money out"},
    "ui.limit.daily": {"zh-CN": "今日", "en": "Today"},
    "ui.limit.yearly": {"zh-CN": "本年", "en": "This year"},
    "ui.limit.used": {"zh-CN": "已用 {used} / {limit}", "en": "{used} of {limit} used"},
    "ui.limit.remaining": {"zh-CN": "剩余 {amount}", "en": "{amount} left"},
    "ui.limit.bound_free": {
        "zh-CN": "与绑定账户之间的转账不占用限额",
        "en": "Transfers with the bound account do not count",
    },
    "ui.balance_cap": {"zh-CN": "余额上限", "en": "Balance cap"},
    "ui.statement": {"zh-CN": "交易明细", "en": "Statement"},
    "ui.no_movements": {"zh-CN": "暂无交易", "en": "No transactions yet"},
    "ui.no_movements_body": {
        "zh-CN": "存款、转账等交易会显示在这里",
        "en": "Deposits, transfers and payments will appear here",
    },
    "ui.more": {"zh-CN": "查看更早的交易", "en": "Older transactions"},
    "ui.balance_after": {"zh-CN": "余额 {amount}", "en": "Balance {amount}"},
    "ui.date": {"zh-CN": "时间", "en": "Date"},
    "ui.description": {"zh-CN": "摘要", "en": "Description"},
    "ui.amount_col": {"zh-CN": "金额", "en": "Amount"},
    "ui.balance_after_col": {"zh-CN": "交易后余额", "en": "Balance after"},
    "ui.kind.transfer": {"zh-CN": "转账", "en": "Transfer"},
    "ui.kind.cash_deposit": {"zh-CN": "现金存入", "en": "Cash deposit"},
    "ui.kind.cash_withdrawal": {"zh-CN": "现金支取", "en": "Cash withdrawal"},
    "ui.kind.hold_capture": {"zh-CN": "消费扣款", "en": "Payment"},
    "ui.kind.reversal": {"zh-CN": "冲正", "en": "Reversal"},
    "ui.back": {"zh-CN": "返回", "en": "Back"},
    "ui.open_account_title": {"zh-CN": "开立电子账户", "en": "Open an account"},
    "ui.open_account_lead": {
        "zh-CN": "在手机上开立Ⅱ类或Ⅲ类账户，需绑定您本人的Ⅰ类账户",
        "en": "Open a Class II or III account on your phone, bound to your own Class I account",
    },
    "ui.account_class": {"zh-CN": "账户类别", "en": "Account class"},
    "ui.class_ii_body": {
        "zh-CN": "存取款、理财和转账；非绑定账户转入、转出每日各 {daily}",
        "en": "Savings, wealth products and transfers; {daily} a day in and out with other accounts",
    },
    "ui.class_iii_body": {
        "zh-CN": "小额免密支付；余额不超过 {cap}，每日支付 {daily}",
        "en": "Small everyday payments; balance up to {cap}, {daily} a day",
    },
    "ui.class_i_body": {
        "zh-CN": "全功能账户，无金额限制，每人在本行限开一个",
        "en": "Full-service account without limits; one per person at this bank",
    },
    "ui.bind_own": {"zh-CN": "本人在本行的Ⅰ类账户", "en": "My Class I account at this bank"},
    "ui.bind_other": {"zh-CN": "本人在他行的Ⅰ类账户", "en": "My Class I account at another bank"},
    "ui.no_class_i_here": {
        "zh-CN": "您在本行还没有Ⅰ类账户，可到网点开立，或绑定他行账户",
        "en": "You have no Class I account here yet: open one at a branch, or bind another bank's",
    },
    "ui.bank_code": {"zh-CN": "开户行代码", "en": "Bank code"},
    "ui.other_bank_number": {"zh-CN": "他行账号", "en": "Account number at that bank"},
    "ui.choose_account_class": {"zh-CN": "请选择账户类别", "en": "Choose an account class"},
    "ui.choose_bound_account": {"zh-CN": "请选择要绑定的账户", "en": "Choose the account to bind"},
    "ui.bank_code_required": {"zh-CN": "请填写开户行代码", "en": "Enter the bank code"},
    "ui.other_bank_number_invalid": {
        "zh-CN": "请填写正确的他行账号（8–34位数字）",
        "en": "Enter the account number: 8 to 34 digits",
    },
    "ui.open_account_submit": {"zh-CN": "确认开户", "en": "Open the account"},
    "ui.account_opened": {"zh-CN": "开户成功", "en": "The account is open"},
    "ui.verify_now": {"zh-CN": "去完成实名认证", "en": "Verify your identity"},
    "ui.transfer_title": {"zh-CN": "转账", "en": "Transfer"},
    "ui.transfer_lead": {"zh-CN": "在本行账户之间实时到账", "en": "Instant between accounts at this bank"},
    "ui.from_account": {"zh-CN": "付款账户", "en": "From"},
    "ui.to_account": {"zh-CN": "收款账户", "en": "To"},
    "ui.to_other_account": {"zh-CN": "或填写其他账户编号", "en": "Or another account ID"},
    "ui.to_other_hint": {"zh-CN": "以 acc_ 开头，由收款人提供", "en": "Starts with acc_; ask the payee"},
    "ui.choose_account": {"zh-CN": "请选择账户", "en": "Choose an account"},
    "ui.account_option": {
        "zh-CN": "{cls} {number}（可用 {available}）",
        "en": "{cls} {number} ({available} available)",
    },
    "ui.to_account_required": {
        "zh-CN": "请选择或填写收款账户",
        "en": "Choose or enter the account to pay into",
    },
    "ui.amount_yuan": {"zh-CN": "金额（元）", "en": "Amount (CNY)"},
    "ui.amount_invalid": {
        "zh-CN": "请输入大于 0 的金额，最多两位小数",
        "en": "Enter an amount above 0 with at most two decimals",
    },
    "ui.memo": {"zh-CN": "附言（选填）", "en": "Memo (optional)"},
    "ui.transfer_submit": {"zh-CN": "确认转账", "en": "Transfer now"},
    "ui.transfer_done": {"zh-CN": "转账成功", "en": "Transfer complete"},
    "ui.verify_title": {"zh-CN": "实名认证", "en": "Verify your identity"},
    "ui.verify_lead": {
        "zh-CN": "填写本人身份证信息，认证后可开立电子账户",
        "en": "Enter your resident ID; once verified you can open accounts",
    },
    "ui.verify_submit": {"zh-CN": "提交认证", "en": "Verify"},
    "ui.identity_verified": {"zh-CN": "身份核验成功", "en": "Identity verified"},
    "ui.new_customer": {"zh-CN": "新建客户", "en": "New customer"},
    "ui.new_customer_submit": {"zh-CN": "创建客户", "en": "Create customer"},
    "ui.id_number_optional": {"zh-CN": "身份证号（选填）", "en": "Resident ID (optional)"},
    "ui.id_number_optional_hint": {
        "zh-CN": "核对身份证原件后填写，即完成面签核验",
        "en": "Check the original ID card: entering it verifies the customer in person",
    },
    "ui.customer_created": {"zh-CN": "客户已创建", "en": "Customer created"},
    "ui.customer_details": {"zh-CN": "客户信息", "en": "Customer details"},
    "ui.gender": {"zh-CN": "性别", "en": "Gender"},
    "ui.gender.male": {"zh-CN": "男", "en": "Male"},
    "ui.gender.female": {"zh-CN": "女", "en": "Female"},
    "ui.birth_date": {"zh-CN": "出生日期", "en": "Date of birth"},
    "ui.verified_at": {"zh-CN": "核验时间", "en": "Verified"},
    "ui.verify_in_person": {"zh-CN": "面签核验", "en": "Verify in person"},
    "ui.verify_in_person_lead": {
        "zh-CN": "请核对客户本人与身份证原件后填写",
        "en": "Check the person against the original ID card, then enter it",
    },
    "ui.verify_in_person_submit": {"zh-CN": "确认核验", "en": "Confirm verification"},
    "ui.accounts": {"zh-CN": "账户", "en": "Accounts"},
    "ui.no_accounts_staff": {
        "zh-CN": "客户还没有账户，可在右侧为其开户",
        "en": "No accounts yet: open one with the form alongside",
    },
    "ui.open_account": {"zh-CN": "开立账户", "en": "Open an account"},
    "ui.bind_optional": {"zh-CN": "绑定Ⅰ类账户（选填）", "en": "Bind a Class I account (optional)"},
    "ui.no_binding": {"zh-CN": "不绑定", "en": "None"},
    "ui.deposit_cash": {"zh-CN": "存入", "en": "Deposit"},
    "ui.withdraw_cash": {"zh-CN": "支取", "en": "Withdraw"},
    "ui.deposit_amount": {"zh-CN": "存入金额（元）", "en": "Deposit (CNY)"},
    "ui.withdraw_amount": {"zh-CN": "支取金额（元）", "en": "Withdraw (CNY)"},
    "ui.cash_deposited": {"zh-CN": "现金已存入", "en": "Cash deposited"},
    "ui.cash_withdrawn": {"zh-CN": "现金已支取", "en": "Cash withdrawn"},
    "ui.view_statement": {"zh-CN": "交易明细", "en": "Statement"},
    "ui.back_to_customer": {"zh-CN": "返回客户", "en": "Back to the customer"},
    "ui.interactions": {"zh-CN": "最近服务记录", "en": "Recent interactions"},
    "ui.no_interactions": {"zh-CN": "暂无记录", "en": "Nothing yet"},
    "ui.channel": {"zh-CN": "渠道", "en": "Channel"},
    "ui.channel.mobile": {"zh-CN": "手机银行", "en": "Mobile"},
    "ui.channel.web": {"zh-CN": "网页", "en": "Web"},
    "ui.channel.branch": {"zh-CN": "网点柜台", "en": "Branch"},
    "ui.channel.atm": {"zh-CN": "自助设备", "en": "ATM"},
    "ui.channel.pos": {"zh-CN": "收银台", "en": "POS"},
    "ui.channel.partner": {"zh-CN": "合作方", "en": "Partner"},
    "ui.channel.call_centre": {"zh-CN": "客服中心", "en": "Call centre"},
    "ui.event.customer.signed_up": {"zh-CN": "注册手机银行", "en": "Signed up"},
    "ui.event.customer.created": {"zh-CN": "柜台建档", "en": "Record created"},
    "ui.event.customer.verified": {"zh-CN": "身份核验", "en": "Identity verified"},
    "ui.event.customer.viewed": {"zh-CN": "员工查看资料", "en": "Record viewed by staff"},
    "ui.event.account.opened": {"zh-CN": "开立账户", "en": "Account opened"},
    "ui.event.account.cash_deposit": {"zh-CN": "现金存入", "en": "Cash deposit"},
    "ui.event.account.cash_withdrawal": {"zh-CN": "现金支取", "en": "Cash withdrawal"},
    "ui.event.transfer.completed": {"zh-CN": "转账", "en": "Transfer"},
    # Merchant and goods pages (the app's application, the bank's approvals, the merchant console)
    "ui.nav.stores": {"zh-CN": "门店", "en": "Stores"},
    "ui.nav.staff": {"zh-CN": "员工", "en": "Staff"},
    "ui.field_required": {"zh-CN": "请填写此项", "en": "Please fill this in"},
    "ui.field_invalid": {"zh-CN": "请检查此项的格式", "en": "Check the format of this field"},
    "ui.optional": {"zh-CN": "（选填）", "en": "(optional)"},
    "ui.created_at": {"zh-CN": "创建时间", "en": "Created"},
    "ui.updated_at": {"zh-CN": "更新时间", "en": "Updated"},
    "ui.save_changes": {"zh-CN": "保存修改", "en": "Save changes"},
    "ui.become_merchant": {"zh-CN": "开店", "en": "Become a merchant"},
    "ui.become_merchant_lead": {
        "zh-CN": "在本行开通商户，收银、商品和资金结算一站搞定",
        "en": "Open a merchant with us: checkout, goods and settlement in one place",
    },
    "ui.application": {"zh-CN": "申请信息", "en": "Application"},
    "ui.application_form": {"zh-CN": "商户入驻申请", "en": "Merchant application"},
    "ui.apply_again": {"zh-CN": "重新申请", "en": "Apply again"},
    "ui.apply_submit": {"zh-CN": "提交申请", "en": "Submit the application"},
    "ui.merchant_applied": {"zh-CN": "申请已提交", "en": "Application submitted"},
    "ui.application_pending": {"zh-CN": "等待银行审核", "en": "Awaiting approval"},
    "ui.application_pending_body": {
        "zh-CN": "银行工作人员将尽快审核您的申请，结果会显示在这里",
        "en": "Bank staff will review your application soon; the decision appears here",
    },
    "ui.application_active": {"zh-CN": "审核通过，商户已开通", "en": "Approved: your merchant is open"},
    "ui.application_active_body": {
        "zh-CN": "请重新登录商户中心，即可新建门店、添加收银员和商品",
        "en": "Sign in to the merchant console again to add stores, cashiers and goods",
    },
    "ui.application_rejected": {
        "zh-CN": "您的申请未通过：{reason}。可修改后重新申请",
        "en": "Your application was declined: {reason}. You may correct it and apply again",
    },
    "ui.open_merchant_console": {"zh-CN": "进入商户中心", "en": "Open the merchant console"},
    "ui.merchant_needs_class_i": {"zh-CN": "需要一个Ⅰ类账户", "en": "A Class I account is needed"},
    "ui.merchant_needs_class_i_body": {
        "zh-CN": "商户结算资金进入您本人的Ⅰ类账户，请携带身份证到网点开立",
        "en": "Takings settle into your own Class I account: open one at a branch with your ID card",
    },
    "ui.legal_name": {"zh-CN": "营业执照名称", "en": "Legal name"},
    "ui.legal_name_hint": {"zh-CN": "与营业执照一致", "en": "As on the business licence"},
    "ui.credit_code": {"zh-CN": "统一社会信用代码", "en": "Unified social credit code"},
    "ui.credit_code_hint": {
        "zh-CN": "18位，见营业执照左上角",
        "en": "18 characters, printed on the business licence",
    },
    "ui.mcc": {"zh-CN": "商户类别码（MCC）", "en": "Merchant category code (MCC)"},
    "ui.mcc_other": {"zh-CN": "其他（手动填写）", "en": "Other (type it below)"},
    "ui.mcc_other_code": {"zh-CN": "其他 MCC（选填）", "en": "Other MCC (optional)"},
    "ui.mcc_other_hint": {
        "zh-CN": "在上方选择“其他”时填写4位数字",
        "en": "Four digits, when “Other” is chosen above",
    },
    "ui.choose_mcc": {"zh-CN": "请选择或填写商户类别码", "en": "Choose or enter the MCC"},
    "ui.mcc.5812": {"zh-CN": "餐馆", "en": "Restaurants"},
    "ui.mcc.5814": {"zh-CN": "快餐", "en": "Fast food"},
    "ui.mcc.5411": {"zh-CN": "超市", "en": "Grocery stores"},
    "ui.mcc.5499": {"zh-CN": "便利店及食品店", "en": "Convenience and food stores"},
    "ui.mcc.5311": {"zh-CN": "百货商店", "en": "Department stores"},
    "ui.mcc.5651": {"zh-CN": "服装店", "en": "Clothing stores"},
    "ui.mcc.5912": {"zh-CN": "药店", "en": "Pharmacies"},
    "ui.mcc.5942": {"zh-CN": "书店", "en": "Book stores"},
    "ui.mcc.7230": {"zh-CN": "美容美发", "en": "Beauty and barber shops"},
    "ui.mcc.5999": {"zh-CN": "其他零售", "en": "Other retail"},
    "ui.merchant_category": {"zh-CN": "经营类别", "en": "Business category"},
    "ui.category.restaurant": {"zh-CN": "餐饮", "en": "Restaurant"},
    "ui.category.fast_food": {"zh-CN": "快餐小吃", "en": "Fast food"},
    "ui.category.cafe": {"zh-CN": "咖啡茶饮", "en": "Café and tea"},
    "ui.category.grocery": {"zh-CN": "超市生鲜", "en": "Grocery"},
    "ui.category.convenience": {"zh-CN": "便利店", "en": "Convenience store"},
    "ui.category.retail": {"zh-CN": "零售", "en": "Retail"},
    "ui.category.beauty": {"zh-CN": "美容美发", "en": "Beauty"},
    "ui.category.services": {"zh-CN": "生活服务", "en": "Services"},
    "ui.contact": {"zh-CN": "联系人", "en": "Contact"},
    "ui.contact_optional": {"zh-CN": "联系人（选填）", "en": "Contact (optional)"},
    "ui.settlement_account": {"zh-CN": "结算账户", "en": "Settlement account"},
    "ui.settlement_account_hint": {
        "zh-CN": "营业收入结算到您本人的Ⅰ类账户",
        "en": "Takings settle into your own Class I account",
    },
    "ui.applied_at": {"zh-CN": "申请时间", "en": "Applied"},
    "ui.approved_at": {"zh-CN": "开通日期", "en": "Open since"},
    "ui.decided_at": {"zh-CN": "审批时间", "en": "Decided"},
    "ui.merchant": {"zh-CN": "商户", "en": "Merchant"},
    "ui.merchant_details": {"zh-CN": "商户信息", "en": "Merchant details"},
    "ui.merchant_status.pending": {"zh-CN": "待审核", "en": "Pending"},
    "ui.merchant_status.active": {"zh-CN": "已开通", "en": "Active"},
    "ui.merchant_status.rejected": {"zh-CN": "未通过", "en": "Declined"},
    "ui.merchant_status_filter": {"zh-CN": "按状态筛选", "en": "Filter by status"},
    "ui.merchant_tab.pending": {"zh-CN": "待审核", "en": "Pending"},
    "ui.merchant_tab.active": {"zh-CN": "已开通", "en": "Active"},
    "ui.merchant_tab.rejected": {"zh-CN": "未通过", "en": "Declined"},
    "ui.merchant_tab.all": {"zh-CN": "全部", "en": "All"},
    "ui.no_merchants.pending": {"zh-CN": "没有待审核的申请", "en": "No applications waiting"},
    "ui.no_merchants.active": {"zh-CN": "暂无已开通商户", "en": "No active merchants yet"},
    "ui.no_merchants.rejected": {"zh-CN": "暂无未通过的申请", "en": "No declined applications"},
    "ui.no_merchants.all": {"zh-CN": "暂无商户", "en": "No merchants yet"},
    "ui.no_merchants_body": {
        "zh-CN": "客户在手机银行提交开店申请后会出现在这里",
        "en": "Applications customers submit in the app appear here",
    },
    "ui.applicant": {"zh-CN": "申请人", "en": "Applicant"},
    "ui.decision": {"zh-CN": "审批", "en": "Decision"},
    "ui.decision_lead": {
        "zh-CN": "核对营业执照、申请人身份和结算账户后作出审批",
        "en": "Check the business licence, the applicant and the settlement account, then decide",
    },
    "ui.approve": {"zh-CN": "审批通过", "en": "Approve"},
    "ui.reject": {"zh-CN": "拒绝申请", "en": "Decline"},
    "ui.reject_reason": {"zh-CN": "拒绝原因", "en": "Reason for declining"},
    "ui.reject_reason_hint": {"zh-CN": "申请人将看到此原因", "en": "The applicant will read this"},
    "ui.reason_required": {"zh-CN": "请填写拒绝原因", "en": "Give the reason for declining"},
    "ui.reason_too_long": {
        "zh-CN": "拒绝原因不能超过200字",
        "en": "The reason may be 200 characters at most",
    },
    "ui.merchant_approved": {"zh-CN": "商户已开通", "en": "Merchant approved"},
    "ui.merchant_rejected": {"zh-CN": "已拒绝该申请", "en": "Application declined"},
    "ui.decided_active": {
        "zh-CN": "申请人重新登录后即以店主身份使用商户中心",
        "en": "The applicant uses the merchant console as its owner from their next sign-in",
    },
    "ui.decided_rejected": {
        "zh-CN": "申请人可在手机银行看到拒绝原因并重新申请",
        "en": "The applicant sees the reason in the app and may apply again",
    },
    "ui.member.owner": {"zh-CN": "店主", "en": "Owner"},
    "ui.member.cashier": {"zh-CN": "收银员", "en": "Cashier"},
    "ui.member.staff": {"zh-CN": "银行员工", "en": "Bank staff"},
    "ui.member_role": {"zh-CN": "角色", "en": "Role"},
    "ui.stores": {"zh-CN": "门店", "en": "Stores"},
    "ui.store": {"zh-CN": "门店", "en": "Store"},
    "ui.store_status.active": {"zh-CN": "营业中", "en": "Open"},
    "ui.no_stores": {"zh-CN": "还没有门店", "en": "No stores yet"},
    "ui.no_stores_owner": {
        "zh-CN": "新建门店后即可绑定收银终端、添加收银员",
        "en": "Add a store to bind POS terminals and add cashiers",
    },
    "ui.no_stores_cashier": {
        "zh-CN": "店主还没有为您分配门店",
        "en": "The owner has not assigned you to a store yet",
    },
    "ui.new_store": {"zh-CN": "新建门店", "en": "New store"},
    "ui.create_store": {"zh-CN": "创建门店", "en": "Create the store"},
    "ui.store_created": {"zh-CN": "门店已创建", "en": "Store created"},
    "ui.store_name": {"zh-CN": "门店名称", "en": "Store name"},
    "ui.store_name_hint": {"zh-CN": "如：徐家汇店", "en": "e.g. Xujiahui"},
    "ui.address": {"zh-CN": "地址", "en": "Address"},
    "ui.district": {"zh-CN": "区域", "en": "District"},
    "ui.district_hint": {"zh-CN": "如：徐汇区", "en": "e.g. Xuhui"},
    "ui.latitude": {"zh-CN": "纬度", "en": "Latitude"},
    "ui.longitude": {"zh-CN": "经度", "en": "Longitude"},
    "ui.coordinates": {"zh-CN": "经纬度", "en": "Coordinates"},
    "ui.store_category": {"zh-CN": "门店类别", "en": "Store category"},
    "ui.opening_hours": {"zh-CN": "营业时间", "en": "Opening hours"},
    "ui.opening_hours_hint": {
        "zh-CN": "如 10:00-22:00；跨夜营业可写 18:00-02:00",
        "en": "e.g. 10:00-22:00; past midnight: 18:00-02:00",
    },
    "ui.store_details": {"zh-CN": "门店信息", "en": "Store details"},
    "ui.terminals": {"zh-CN": "收银终端", "en": "POS terminals"},
    "ui.terminal_id": {"zh-CN": "终端号", "en": "Terminal ID"},
    "ui.terminal_id_hint": {
        "zh-CN": "8位字母或数字，全行唯一",
        "en": "8 letters or digits, unique across the bank",
    },
    "ui.no_terminals": {"zh-CN": "还没有收银终端", "en": "No terminals yet"},
    "ui.no_terminals_body": {
        "zh-CN": "绑定终端后，收银员即可在该门店收款",
        "en": "Once a terminal is bound, cashiers can take payments in this store",
    },
    "ui.add_terminal": {"zh-CN": "绑定终端", "en": "Bind a terminal"},
    "ui.terminal_added": {"zh-CN": "终端已绑定", "en": "Terminal bound"},
    "ui.staff": {"zh-CN": "员工", "en": "Staff"},
    "ui.all_stores": {"zh-CN": "全部门店", "en": "All stores"},
    "ui.add_cashier": {"zh-CN": "添加收银员", "en": "Add a cashier"},
    "ui.cashier_added": {"zh-CN": "收银员已添加", "en": "Cashier added"},
    "ui.cashier_stores": {"zh-CN": "可在以下门店收银", "en": "Works in these stores"},
    "ui.cashier_needs_store": {
        "zh-CN": "收银员须分配到门店，请先新建门店",
        "en": "Cashiers work in stores: add a store first",
    },
    "ui.choose_stores": {"zh-CN": "请至少选择一个门店", "en": "Choose at least one store"},
    "ui.initial_password": {"zh-CN": "初始密码", "en": "Initial password"},
    "ui.username_rule": {
        "zh-CN": "3–64位字母、数字或 _ . -，用于登录商户中心",
        "en": "3 to 64 letters, digits or _ . -, used to sign in to the merchant console",
    },
    "ui.goods": {"zh-CN": "商品", "en": "Goods"},
    "ui.item": {"zh-CN": "商品", "en": "Item"},
    "ui.find_item": {"zh-CN": "查找商品", "en": "Find an item"},
    "ui.find_item_hint": {"zh-CN": "商品名称或编码", "en": "Item name or SKU"},
    "ui.all_categories": {"zh-CN": "全部分类", "en": "All categories"},
    "ui.show_archived": {"zh-CN": "显示已下架", "en": "Show archived"},
    "ui.item_category": {"zh-CN": "分类", "en": "Category"},
    "ui.item_category_hint": {"zh-CN": "如：咖啡", "en": "e.g. Coffee"},
    "ui.item_name": {"zh-CN": "商品名称", "en": "Item name"},
    "ui.description_optional": {"zh-CN": "描述（选填）", "en": "Description (optional)"},
    "ui.description_label": {"zh-CN": "描述", "en": "Description"},
    "ui.variations": {"zh-CN": "规格", "en": "Variations"},
    "ui.variation_count": {"zh-CN": "{count} 个规格", "en": "{count} variation(s)"},
    "ui.variation_n": {"zh-CN": "规格 {n}", "en": "Variation {n}"},
    "ui.variation_name": {"zh-CN": "规格名称", "en": "Variation"},
    "ui.variation_name_hint": {"zh-CN": "如：大杯", "en": "e.g. Large"},
    "ui.variations_hint": {
        "zh-CN": "至少填写一个规格；未填写的规格行会被忽略",
        "en": "Fill in at least one variation; blank rows are left out",
    },
    "ui.variation_required": {"zh-CN": "请至少填写一个规格", "en": "Fill in at least one variation"},
    "ui.sku": {"zh-CN": "商品编码（SKU）", "en": "SKU"},
    "ui.price": {"zh-CN": "价格", "en": "Price"},
    "ui.price_yuan": {"zh-CN": "价格（元）", "en": "Price (CNY)"},
    "ui.stock": {"zh-CN": "库存", "en": "Stock"},
    "ui.stock_optional": {"zh-CN": "库存（选填）", "en": "Stock (optional)"},
    "ui.stock_hint": {
        "zh-CN": "库存留空表示不计库存，可一直售卖",
        "en": "Leave the stock empty to sell without counting pieces",
    },
    "ui.stock_invalid": {
        "zh-CN": "库存须为不小于 0 的整数",
        "en": "The stock must be a whole number of 0 or more",
    },
    "ui.stock_untracked": {"zh-CN": "不计库存", "en": "Not tracked"},
    "ui.sold_out": {"zh-CN": "售罄", "en": "Sold out"},
    "ui.on_sale": {"zh-CN": "在售", "en": "On sale"},
    "ui.archived": {"zh-CN": "已下架", "en": "Archived"},
    "ui.archived_at": {"zh-CN": "下架时间", "en": "Archived"},
    "ui.no_items": {"zh-CN": "还没有商品", "en": "No goods yet"},
    "ui.no_items_owner": {
        "zh-CN": "在右侧添加第一件商品，收银时即可选择",
        "en": "Add your first item alongside; cashiers can then sell it",
    },
    "ui.no_items_cashier": {"zh-CN": "店主添加商品后会显示在这里", "en": "Goods the owner adds appear here"},
    "ui.no_items_found": {"zh-CN": "没有符合条件的商品", "en": "No goods match"},
    "ui.no_items_found_body": {
        "zh-CN": "换个关键词或分类试试",
        "en": "Try another word or category",
    },
    "ui.new_item": {"zh-CN": "添加商品", "en": "New item"},
    "ui.create_item": {"zh-CN": "创建商品", "en": "Create the item"},
    "ui.item_created": {"zh-CN": "商品已创建", "en": "Item created"},
    "ui.item_saved": {"zh-CN": "修改已保存", "en": "Changes saved"},
    "ui.item_details": {"zh-CN": "商品信息", "en": "Item details"},
    "ui.edit_item": {"zh-CN": "编辑商品", "en": "Edit the item"},
    "ui.add_variation": {"zh-CN": "添加规格", "en": "Add a variation"},
    "ui.variation_added": {"zh-CN": "规格已添加", "en": "Variation added"},
    "ui.archive_item": {"zh-CN": "下架", "en": "Archive"},
    "ui.restore_item": {"zh-CN": "重新上架", "en": "Put back on sale"},
    "ui.item_archived": {"zh-CN": "商品已下架", "en": "Item archived"},
    "ui.item_restored": {"zh-CN": "商品已重新上架", "en": "Item back on sale"},
    "ui.goods_read_only": {
        "zh-CN": "收银员可查看商品，修改请联系店主",
        "en": "Cashiers see goods read-only; the owner changes them",
    },
    # Merchants (onboarding, stores, staff, terminals)
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
    "merchant_not_active": {
        "zh-CN": "商户尚未开通或已被拒绝",
        "en": "The merchant is not active",
    },
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
    "invalid_terminal_id": {
        "zh-CN": "终端号须为8位字母或数字",
        "en": "The terminal id must be 8 letters or digits",
    },
    "terminal_exists": {"zh-CN": "该终端号已被使用", "en": "This terminal id is already in use"},
    # Nouns used in not_found
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
    # Cashier (orders, shifts, receipts)
    "thing.order": {"zh-CN": "订单", "en": "order"},
    "thing.shift": {"zh-CN": "班次", "en": "shift"},
    "coupons_not_available": {
        "zh-CN": "暂不支持使用优惠券",
        "en": "Coupons cannot be used yet",
    },
    "unknown_variation": {
        "zh-CN": "商品规格不存在或不属于本商户",
        "en": "No such variation among this merchant's goods",
    },
    "variation_archived": {"zh-CN": "{name} 已下架，不能售卖", "en": "{name} is archived and cannot be sold"},
    "terminal_not_in_store": {
        "zh-CN": "该终端不属于此门店",
        "en": "This terminal is not bound to the store",
    },
    "order_mismatch": {
        "zh-CN": "门店或终端与订单不一致",
        "en": "The store or terminal is not the order's",
    },
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
    "refund_exceeds_quantity": {
        "zh-CN": "退货数量超过已售未退数量（{variation_id}）",
        "en": "More pieces returned than were sold and not yet returned ({variation_id})",
    },
    "payment_already_applied": {
        "zh-CN": "该笔付款已计入其他订单或金额不同",
        "en": "This payment was already applied to another order or for another amount",
    },
    "shift_already_open": {
        "zh-CN": "该终端已有未结班次",
        "en": "A shift is already open at this terminal",
    },
    "shift_not_open": {"zh-CN": "班次已结束", "en": "The shift is closed"},
    "not_enough_cash": {
        "zh-CN": "钱箱现金不足（现有 {available} 分）",
        "en": "Not enough cash in the drawer ({available} fen)",
    },
    "receipt.title": {"zh-CN": "购物小票", "en": "Receipt"},
    "receipt.order": {"zh-CN": "订单号", "en": "Order"},
    "receipt.terminal": {"zh-CN": "终端", "en": "Terminal"},
    "receipt.cashier": {"zh-CN": "收银员", "en": "Cashier"},
    "receipt.time": {"zh-CN": "下单时间", "en": "Time"},
    "receipt.paid_at": {"zh-CN": "付款时间", "en": "Paid at"},
    "receipt.subtotal": {"zh-CN": "小计", "en": "Subtotal"},
    "receipt.discount": {"zh-CN": "优惠", "en": "Discount"},
    "receipt.total": {"zh-CN": "应收", "en": "Total"},
    "receipt.paid": {"zh-CN": "实收", "en": "Paid"},
    "receipt.change": {"zh-CN": "找零", "en": "Change"},
    "receipt.refunded": {"zh-CN": "已退款", "en": "Refunded"},
    "receipt.thanks": {"zh-CN": "谢谢惠顾，欢迎再来", "en": "Thank you, come again"},
    "receipt.status.open": {"zh-CN": "未付款", "en": "Not paid"},
    "receipt.status.cancelled": {"zh-CN": "已取消", "en": "Cancelled"},
    "receipt.method.cash": {"zh-CN": "现金", "en": "Cash"},
    "receipt.method.card": {"zh-CN": "银行卡", "en": "Card"},
    "receipt.method.contactless": {"zh-CN": "闪付", "en": "Contactless"},
    "receipt.method.qr": {"zh-CN": "扫码支付", "en": "QR"},
    "receipt.method.payment_code": {"zh-CN": "付款码", "en": "Payment code"},
    # Payments (tenders, QR codes, payment codes, refunds)
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
}


def negotiate(accept_language: str | None) -> str:
    """Pick zh-CN or en from an Accept-Language header (zh-CN when nothing matches)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, q = part.strip().partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        ranked.append((weight, tag.strip().lower()))
    for _, tag in sorted(ranked, key=lambda item: -item[0]):
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh-CN"
    return DEFAULT_LANGUAGE


def translate(key: str, language: str = DEFAULT_LANGUAGE, params: Mapping[str, Any] | None = None) -> str:
    entry = CATALOGUE.get(key)
    if entry is None:
        return key
    template = entry.get(language) or entry[DEFAULT_LANGUAGE]
    values = dict(params or {})
    if "what" in values and f"thing.{values['what']}" in CATALOGUE:
        values["what"] = translate(f"thing.{values['what']}", language)
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template


def format_money(amount: int, currency: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Render minor units for people, e.g. 123456 CNY → ¥1,234.56."""
    from finlife.kit.money import to_decimal

    locale = "zh_CN" if language == "zh-CN" else "en_US"
    return format_currency(to_decimal(amount, currency), currency, locale=locale)
