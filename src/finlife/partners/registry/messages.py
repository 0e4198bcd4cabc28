"""Words of the partner registry, its bank pages and the partner console (zh-CN and English)."""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors
    "thing.partner": {"zh-CN": "合作方", "en": "partner"},
    "partner_redirect_uri_invalid": {
        "zh-CN": "回调地址须为完整的 https 地址（仅 localhost 与 127.0.0.1 可用 http），且不含片段：{uri}",
        "en": "A redirect URI must be an absolute https URI (http only for localhost and 127.0.0.1) without a fragment: {uri}",
    },
    "partner_public_key_invalid": {
        "zh-CN": "公钥须为 Ed25519 公钥（PEM 或 32 字节的 base64）",
        "en": "The public key must be an Ed25519 public key (PEM, or its 32 bytes in base64)",
    },
    "partner_level_forbids_scopes": {
        "zh-CN": "A1 级合作方只能读取产品信息，不能申请这些权限：{scopes}",
        "en": "An A1 partner reads product data only and may not have these scopes: {scopes}",
    },
    "partner_wrong_status": {
        "zh-CN": "合作方当前状态（{partner_status}）不允许此操作",
        "en": "The partner's status ({partner_status}) does not allow this",
    },
    "partner_approver_is_creator": {
        "zh-CN": "登记该合作方的管理员不能审批它，须由另一位管理员审批",
        "en": "The admin who registered this partner may not decide on it: another admin must",
    },
    "partner_sign_in_failed": {
        "zh-CN": "client_id 或 client_secret 不正确，或该合作方尚未启用",
        "en": "Wrong client_id or client_secret, or the partner is not active",
    },
    # Shells and navigation
    "ui.shell.partner": {"zh-CN": "合作方控制台", "en": "Partner console"},
    "ui.tagline.partner": {
        "zh-CN": "通过开放接口把银行服务嵌入您的场景",
        "en": "Bring the bank's services into your app",
    },
    "ui.nav.partners": {"zh-CN": "合作方", "en": "Partners"},
    "ui.nav.partner_overview": {"zh-CN": "概览", "en": "Overview"},
    "ui.nav.partner_credentials": {"zh-CN": "凭证", "en": "Credentials"},
    "ui.nav.partner_calls": {"zh-CN": "调用记录", "en": "Call log"},
    "ui.nav.partner_webhooks": {"zh-CN": "Webhooks", "en": "Webhooks"},
    "ui.nav.partner_docs": {"zh-CN": "接口文档", "en": "API docs"},
    # A partner's facts
    "ui.partner.id": {"zh-CN": "合作方编号", "en": "Partner id"},
    "ui.partner.name": {"zh-CN": "名称", "en": "Name"},
    "ui.partner.kind": {"zh-CN": "类型", "en": "Kind"},
    "ui.partner.kind.information": {"zh-CN": "信息服务商", "en": "Information provider"},
    "ui.partner.kind.payment": {"zh-CN": "支付机构", "en": "Payment provider"},
    "ui.partner.kind.ecommerce": {"zh-CN": "电商平台", "en": "E-commerce"},
    "ui.partner.kind.developer": {"zh-CN": "房地产开发商", "en": "Property developer"},
    "ui.partner.kind.other": {"zh-CN": "其他", "en": "Other"},
    "ui.partner.status": {"zh-CN": "状态", "en": "Status"},
    "ui.partner.status.pending_approval": {"zh-CN": "待审批", "en": "Awaiting approval"},
    "ui.partner.status.active": {"zh-CN": "已启用", "en": "Active"},
    "ui.partner.status.rejected": {"zh-CN": "已拒绝", "en": "Rejected"},
    "ui.partner.status.suspended": {"zh-CN": "已暂停", "en": "Suspended"},
    "ui.partner.api_level": {"zh-CN": "接口等级", "en": "API level"},
    "ui.partner.level.A1": {"zh-CN": "A1 · 仅产品信息", "en": "A1 · product data only"},
    "ui.partner.level.A2": {"zh-CN": "A2 · 客户数据与资金", "en": "A2 · customer data and funds"},
    "ui.partner.level.auto": {"zh-CN": "按权限自动确定", "en": "From the scopes"},
    "ui.partner.scopes": {"zh-CN": "可申请的权限", "en": "Scopes it may ask for"},
    "ui.partner.scope.accounts:read": {"zh-CN": "查看账户与余额", "en": "read accounts and balances"},
    "ui.partner.scope.transactions:read": {"zh-CN": "查看交易明细", "en": "read statements"},
    "ui.partner.scope.payments:write": {"zh-CN": "发起付款", "en": "make payments"},
    "ui.partner.scope.accounts:open": {
        "zh-CN": "为其用户开立 II/III 类账户",
        "en": "open Class II/III accounts for its users",
    },
    "ui.partner.scope.loans:apply": {"zh-CN": "提交贷款申请", "en": "apply for loans"},
    "ui.partner.redirect_uris": {"zh-CN": "回调地址", "en": "Redirect URIs"},
    "ui.partner.redirect_hint": {
        "zh-CN": "每行一个完整的 https 地址；测试应用可用 http://localhost",
        "en": "One absolute https URI a line; test apps may use http://localhost",
    },
    "ui.partner.contact": {"zh-CN": "联系人", "en": "Contact"},
    "ui.partner.key": {"zh-CN": "签名公钥（Ed25519）", "en": "Signing key (Ed25519)"},
    "ui.partner.key_hint": {
        "zh-CN": "PEM 或 32 字节的 base64，可稍后登记",
        "en": "PEM, or its 32 bytes in base64; may be added later",
    },
    "ui.partner.no_key": {"zh-CN": "尚未登记", "en": "Not registered"},
    "ui.partner.grace": {"zh-CN": "旧密钥有效至", "en": "Previous secret works until"},
    "ui.partner.created": {"zh-CN": "登记时间", "en": "Registered"},
    "ui.partner.field_invalid": {"zh-CN": "请检查此项", "en": "Please check this field"},
    # Secrets
    "ui.partner.secret_once": {
        "zh-CN": "请立即妥善保存密钥：它只显示这一次，银行只保存其摘要",
        "en": "Keep this secret now: it is shown this once, and the bank keeps only its hash",
    },
    "ui.partner.previous_until": {
        "zh-CN": "旧密钥在 {until} 前仍可使用",
        "en": "The previous secret works until {until}",
    },
    "ui.partner.secret_hidden": {"zh-CN": "仅在生成时显示一次", "en": "Shown once, when it is made"},
    "ui.partner.rotate": {"zh-CN": "更换密钥", "en": "Rotate the secret"},
    "ui.partner.rotate_hint": {
        "zh-CN": "更换后新密钥只显示一次，旧密钥在宽限期内仍可使用",
        "en": "The new secret is shown once; the previous one keeps working during a grace period",
    },
    "ui.partner.client": {"zh-CN": "客户端凭证", "en": "Client credentials"},
    # Bank pages
    "ui.partner.title": {"zh-CN": "合作方", "en": "Partners"},
    "ui.partner.lead": {
        "zh-CN": "开放接口的合作方：登记、第二位管理员审批、凭证与调用记录",
        "en": "The open API's partners: registration, a second admin's approval, credentials and calls",
    },
    "ui.partner.register": {"zh-CN": "登记合作方", "en": "Register a partner"},
    "ui.partner.filter": {"zh-CN": "按状态筛选", "en": "Filter by status"},
    "ui.partner.all": {"zh-CN": "全部", "en": "All"},
    "ui.partner.newest": {"zh-CN": "回到最新", "en": "Back to the newest"},
    "ui.partner.older": {"zh-CN": "更早", "en": "Older"},
    "ui.partner.empty": {"zh-CN": "还没有合作方", "en": "No partners yet"},
    "ui.partner.four_eyes": {
        "zh-CN": "合作方须由登记人以外的另一位管理员审批后才能取得凭证",
        "en": "A partner gets its credentials working only once an admin other than the one who registered it approves it",
    },
    "ui.partner.waits_for_other": {
        "zh-CN": "您登记了该合作方，须由另一位管理员审批",
        "en": "You registered this partner: another admin decides on it",
    },
    "ui.partner.approve": {"zh-CN": "批准", "en": "Approve"},
    "ui.partner.reject": {"zh-CN": "拒绝", "en": "Reject"},
    "ui.partner.suspend": {"zh-CN": "暂停", "en": "Suspend"},
    "ui.partner.reactivate": {"zh-CN": "恢复", "en": "Reactivate"},
    "ui.partner.approved": {"zh-CN": "已批准该合作方", "en": "The partner is approved"},
    "ui.partner.rejected": {"zh-CN": "已拒绝该合作方", "en": "The partner is rejected"},
    "ui.partner.suspended": {
        "zh-CN": "已暂停该合作方，其所有令牌立即失效",
        "en": "The partner is suspended: all its tokens stopped",
    },
    "ui.partner.reactivated": {"zh-CN": "已恢复该合作方", "en": "The partner is active again"},
    "ui.partner.details": {"zh-CN": "登记信息", "en": "Registration"},
    "ui.partner.recent_calls": {"zh-CN": "最近的调用", "en": "Recent calls"},
    "ui.partner.no_calls": {"zh-CN": "还没有调用记录", "en": "No calls yet"},
    # Call log
    "ui.partner.calls_caption": {"zh-CN": "接口调用，最新的在前", "en": "API calls, newest first"},
    "ui.partner.calls_lead": {
        "zh-CN": "您用令牌发起的每一次接口调用，保留 {days} 天",
        "en": "Every API call you made with a token, kept {days} days",
    },
    "ui.partner.col.at": {"zh-CN": "时间", "en": "Time"},
    "ui.partner.col.method": {"zh-CN": "方法", "en": "Method"},
    "ui.partner.col.path": {"zh-CN": "路径", "en": "Path"},
    "ui.partner.col.status": {"zh-CN": "状态码", "en": "Status"},
    "ui.partner.col.latency": {"zh-CN": "耗时", "en": "Latency"},
    "ui.partner.col.scopes": {"zh-CN": "所需权限", "en": "Scopes"},
    "ui.partner.col.summary": {"zh-CN": "说明", "en": "What it does"},
    "ui.partner.ms": {"zh-CN": "{ms} 毫秒", "en": "{ms} ms"},
    # Console
    "ui.partner.console_lead": {
        "zh-CN": "使用银行发给您的 client_id 与 client_secret 登录",
        "en": "Sign in with the client_id and client_secret the bank gave you",
    },
    "ui.partner.overview_lead": {
        "zh-CN": "{name} 在本行开放接口的登记信息",
        "en": "{name} on the bank's open API",
    },
    "ui.partner.docs_lead": {
        "zh-CN": "合作方令牌可调用的接口及其所需权限，取自接口本身的声明",
        "en": "The routes a partner's token may call and the scopes each needs, read from the routes themselves",
    },
    "ui.partner.docs_interactive": {"zh-CN": "交互式文档", "en": "Interactive docs"},
    "ui.partner.docs_routes": {"zh-CN": "合作方可用的接口", "en": "Routes for partners"},
}
