"""The consents' words: error codes, the permissions in plain words, the pages (zh-CN and en)."""

MESSAGES: dict[str, dict[str, str]] = {
    "consent_not_revocable": {
        "zh-CN": "该授权当前状态为“{consent_status}”，不能撤销",
        "en": "This consent is {consent_status} and cannot be revoked",
    },
    "consent.status.awaiting_authorisation": {"zh-CN": "待授权", "en": "awaiting authorisation"},
    "consent.status.authorised": {"zh-CN": "已授权", "en": "authorised"},
    "consent.status.rejected": {"zh-CN": "已拒绝", "en": "rejected"},
    "consent.status.revoked": {"zh-CN": "已撤销", "en": "revoked"},
    "consent.status.expired": {"zh-CN": "已过期", "en": "expired"},
    "consent.scope.accounts:read": {
        "zh-CN": "查看所选账户的账号（部分隐藏）和余额",
        "en": "See the chosen accounts, their numbers (partly hidden) and balances",
    },
    "consent.scope.transactions:read": {
        "zh-CN": "查看所选账户在授权有效期内的交易明细",
        "en": "See the chosen accounts' transactions made while this consent is valid",
    },
    "consent.scope.payments:write": {
        "zh-CN": "从所选账户向合作方指定的收款人付款（超过限额的每笔需您在本行App确认）",
        "en": "Pay payees the partner names from the chosen accounts"
        " (above the limit you confirm each payment here)",
    },
    "consent.scope.loans:apply": {
        "zh-CN": "代您提交贷款申请",
        "en": "Apply for loans on your behalf",
    },
    "consent.by.customer": {"zh-CN": "客户本人", "en": "the customer"},
    "consent.by.partner": {"zh-CN": "合作方", "en": "the partner"},
    "consent.by.staff": {"zh-CN": "银行员工", "en": "bank staff"},
    "ui.consents.title": {"zh-CN": "授权管理", "en": "Consents"},
    "ui.consents.intro": {
        "zh-CN": "您授权给合作方的权限。撤销后，合作方立即无法再访问。",
        "en": "What you allowed partners to do. Once you revoke a consent the partner loses access at once.",
    },
    "ui.consents.none": {"zh-CN": "您还没有授权任何合作方", "en": "You have not given any partner a consent"},
    # The same, on the teller's page of the customer: said of the customer, not to them.
    "ui.consents.none_for_staff": {
        "zh-CN": "客户还没有授权任何合作方",
        "en": "No consent given to a partner",
    },
    "ui.consents.partner": {"zh-CN": "合作方", "en": "Partner"},
    "ui.consents.permissions": {"zh-CN": "权限", "en": "Permissions"},
    "ui.consents.accounts": {"zh-CN": "账户", "en": "Accounts"},
    "ui.consents.status": {"zh-CN": "状态", "en": "Status"},
    "ui.consents.authorised_at": {"zh-CN": "授权时间", "en": "Authorised"},
    "ui.consents.expires_at": {"zh-CN": "有效期至", "en": "Valid until"},
    "ui.consents.revoked_at": {"zh-CN": "撤销时间", "en": "Revoked"},
    "ui.consents.channel": {"zh-CN": "授权渠道", "en": "Channel"},
    "ui.consents.revoke": {"zh-CN": "撤销授权", "en": "Revoke"},
    "ui.consents.revoked": {"zh-CN": "授权已撤销", "en": "The consent is revoked"},
    "ui.consents.link": {"zh-CN": "授权管理（第三方合作方）", "en": "Consents given to partners"},
    "ui.consents.staff_title": {"zh-CN": "第三方授权", "en": "Consents to partners"},
}
